// shinsou/train: the one training loop, its snapshots, typed option declarations and the recipe
// registry. Browser-safe; the Node side (files, progress bar, plots) is in src/node/train-files.ts
// and src/cli/commands/train.ts.
export * from './options.js';
export * from './trainer.js';
export * from './snapshot.js';
export * from './registry.js';
export * from './step.js';
export * from './prepare.js';
export * from './stream.js';
export * from './stream.js';
