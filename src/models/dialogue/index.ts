// The dialogue family of the zoo: a seq2seq baseline, HRED and VHRED on multi-turn dialogue, the
// batching of dialogue examples, the training task, and the recipes (registered on import).
// (The Wesnoth parser is browser-safe in src/data; the file discovery is shinsou/node's src/node/wesnoth.ts.)
export * from './batch.js';
export * from './models.js';
export * from './task.js';
export * from './recipes.js';
