// torch.nn's counterpart: Module, Parameter, containers, layers and init.
export { Module, type StateDict, type LoadResult } from './module.js';
export { Parameter } from './parameter.js';
export { Sequential, ModuleList, ModuleDict } from './containers.js';
export * as init from './init.js';
export { Linear, type LinearOptions } from './layers/linear.js';
