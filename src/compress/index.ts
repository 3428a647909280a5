// Compression: quantization, distillation, pruning and ONNX export.
export {
  activationGrid,
  affineParams,
  quantizeValue,
  quantizeWeight,
  dequantizeWeight,
  RangeObserver,
  type ActivationRange,
  type CalibrationMethod,
  type AffineParams,
  type QuantizedWeight,
} from './quantize.js';
export { inferenceGraph, runGraph, type InferenceGraph, type GraphNode, type GraphNodeKind, type GraphHooks } from './graph.js';
export { quantizeModel, encodeQuantized, decodeQuantized, type QuantizedModel, type QuantizeOptions } from './qmodel.js';
export { fakeQuantize, fakeQuantizeWeight, QatModel, type QatOptions } from './qat.js';
export * from './distill.js';
export * from './recipes.js';
export * from './prune.js';
export * from './onnx.js';
export { onnxModelType, ONNX_DTYPE } from './onnx-schema.js';
