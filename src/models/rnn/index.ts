// The recurrent family of the zoo: the written-out simple RNN (explicit BPTT), binary addition,
// the adding problem, recurrent language models, and their recipes (registered on import).
// (The KJV corpus loader is Node-only: shinsou/node's src/node/kjv.ts.)
export * from './simple-rnn.js';
export * from './binary-addition.js';
export * from './adding.js';
export * from './lm.js';
export * from './recipes.js';
