/**
 * Version counters, as PyTorch's: every in-place write bumps the version of the storage it writes
 * to, and a graph node remembers the versions of its inputs when it was recorded. Backward through
 * a node whose inputs changed since would compute a wrong gradient, so it throws instead.
 */
import type { Tensor } from '../tensor/tensor.js';

const versions = new WeakMap<ArrayBufferLike, number>();

export function versionOf(t: Tensor): number {
  return versions.get(t.storage.buffer) ?? 0;
}

/** Marks an in-place write to t's storage (shared by every view of it). */
export function bumpVersion(t: Tensor): void {
  const b = t.storage.buffer;
  versions.set(b, (versions.get(b) ?? 0) + 1);
}
