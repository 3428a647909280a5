/**
 * shinsou: tensors, autograd and layers in TypeScript.
 * The core entry point: no Node-only API is used here, so it also runs in browsers.
 */
export { Tensor, type NestedArray } from './tensor/tensor.js';
export { type DType, isFloat, promoteTypes } from './tensor/dtype.js';
export { type Shape, broadcastShapes } from './tensor/shape.js';
export { Generator, manualSeed, defaultGenerator } from './tensor/random.js';
export * from './tensor/creation.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/grad-mode.js';
export { grad, backward, type BackwardOptions, type GradOptions } from './autograd/engine.js';
export { gradcheck, gradgradcheck, type GradcheckOptions } from './autograd/gradcheck.js';
export { Node } from './autograd/node.js';
export * from './ops/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export { setBackend, getBackend, findBackend, listBackends, registerBackend, type Backend } from './backend/index.js';
export { setNumThreads, getNumThreads } from './backend/wasm/pool.js';
export { setKernelVariant, getKernelVariant, type KernelVariant } from './backend/wasm/loader.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export * as metrics from './metrics/index.js';
export * as train from './train/index.js';
export * as rl from './rl/index.js';
export * as compress from './compress/index.js';
