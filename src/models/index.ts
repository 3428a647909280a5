/**
 * shinsou/models: the model zoo, one namespace per family, with the recipes of each family
 * registered in the one registry (src/train) on import. Browser-safe.
 * @example
 * import { classifier } from 'shinsou/models';
 * const model = classifier.mlp(); // the mlp recipe's network, no CLI needed
 */
export * as classifier from './classifier/index.js';
export * as rnn from './rnn/index.js';
export * as word2vec from './word2vec/index.js';
export * as vae from './vae/index.js';
export * as dialogue from './dialogue/index.js';
export * as decoding from './decoding.js';
export * as resnet from './resnet/index.js';
export * as densenet from './densenet/index.js';
export * as mobilenet from './mobilenet/index.js';
export * as cnn from './cnn/index.js';
export * as gan from './gan/index.js';
export * as translation from './translation/index.js';
export * as seq2seq from './seq2seq/index.js';
