// Serialization that runs anywhere (pure bytes in, bytes out). File helpers live in src/node.
export {
  encodeSafetensors,
  decodeSafetensors,
  MAX_HEADER_BYTES,
  f32ToF16Bits,
  f16BitsToNumber,
  f32ToBf16Bits,
  type SafetensorsContents,
  type EncodeOptions,
  type StorageDType,
} from './safetensors.js';
export { packCheckpoint, unpackCheckpoint, type Checkpoint, type CheckpointParts } from './checkpoint.js';
export { imageGrid, encodePng, type Image, type ImageGridOptions } from './image.js';
