// Compression: quantization (and, from their own files, distillation, pruning and export).
export * from './quantize.js';
export * from './graph.js';
export * from './qmodel.js';
export * from './qat.js';
