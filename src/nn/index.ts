// torch.nn's counterpart: Module, Parameter, containers, layers, functional and init.
export { Module, type StateDict, type LoadResult } from './module.js';
export { Parameter } from './parameter.js';
export { Sequential, ModuleList, ModuleDict } from './containers.js';
export * as init from './init.js';
export * as functional from './functional.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export * from './layers/activation.js';
export * from './layers/basic.js';
export * from './layers/conv.js';
export * from './layers/norm.js';
export * from './layers/pool.js';
export * from './layers/recurrent.js';
export { MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions } from './layers/attention.js';
export * from './layers/transformer.js';
export * from './layers/positional.js';
export { tieWeights } from './tie.js';
export { summary, formatSummary, type ModelSummary, type LayerSummary, type SummaryOptions } from './summary.js';
export { fuseConvBn } from './fuse.js';
export {
  AdditiveAttention,
  LuongAttention,
  paddingMask,
  type AttentionOutput,
  type AdditiveAttentionOptions,
  type LuongAttentionOptions,
  type LuongScore,
} from './layers/rnn-attention.js';
