export * from './optimizer.js';
export * from './sgd.js';
export * from './adam.js';
export * from './adagrad.js';
export * from './rmsprop.js';
export * from './clip.js';
export * from './lr-scheduler.js';
