/**
 * The registered backends: 'cpu' (JS reference kernels) and 'wasm' (WebAssembly SIMD, the
 * default). Importing this module registers both; a later backend (webgpu/) registers itself the
 * same way with registerBackend.
 */
import { registerBackend, setDefaultBackend } from './backend.js';
import { cpuBackend } from './cpu/backend.js';
import { wasmBackend } from './wasm/backend.js';

registerBackend(cpuBackend);
registerBackend(wasmBackend);
setDefaultBackend('wasm');

export { backendOf, findBackend, getBackend, listBackends, registerBackend, setBackend } from './backend.js';
export type {
  Backend,
  View,
  UnaryKernel,
  BinaryKernel,
  InplaceKernel,
  ActivationGradKernel,
  GemmBatch,
  NormLayout,
  LstmDims,
  ConvGeom,
  WindowPlan,
  ReducePlan,
} from './backend.js';

// Layout planning: plain numbers computed from shapes and strides, the same for every backend
// (a device backend uploads the offsets it needs).
export { broadcastStrides, isDense } from './cpu/strided.js';
export { hasBroadcastOverlap } from './cpu/inplace.js';
export { offsetsOf, planReduce } from './cpu/reduce.js';
