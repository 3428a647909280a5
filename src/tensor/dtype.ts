/** The element types a tensor can hold. float32 is the default, as in PyTorch. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array that stores each dtype. bool is stored as 0/1 bytes. */
export interface StorageFor {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}
export type Storage = StorageFor[DType];

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function allocStorage<D extends DType>(dtype: D, n: number): StorageFor[D] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n) as StorageFor[D];
    case 'float64':
      return new Float64Array(n) as StorageFor[D];
    case 'int32':
      return new Int32Array(n) as StorageFor[D];
    case 'bool':
      return new Uint8Array(n) as StorageFor[D];
    default:
      throw new Error(`unknown dtype '${String(dtype)}'; expected one of ${DTYPES.join(', ')}`);
  }
}

export function dtypeOfStorage(s: Storage): DType {
  if (s instanceof Float32Array) return 'float32';
  if (s instanceof Float64Array) return 'float64';
  if (s instanceof Int32Array) return 'int32';
  if (s instanceof Uint8Array) return 'bool';
  throw new Error('unsupported typed array for a tensor storage');
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Type promotion of two tensor operands (bool < int32 < float32 < float64), as torch.result_type. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Result dtype of a tensor and a JS number: a float number lifts bool/int tensors to float32
 * (PyTorch's default dtype), an integer number lifts bool to int32; otherwise the tensor's dtype wins.
 */
export function promoteWithScalar(t: DType, s: number | boolean): DType {
  if (typeof s === 'boolean') return t;
  if (!Number.isInteger(s)) return isFloat(t) ? t : 'float32';
  return t === 'bool' ? 'int32' : t;
}
