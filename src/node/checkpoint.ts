/**
 * safetensors files and training checkpoints on disk. Writes are atomic (temporary file in the
 * same directory, fsync, rename), so a run killed mid-save leaves the previous checkpoint intact.
 */
import type { Tensor } from '../tensor/tensor.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsContents } from '../io/safetensors.js';
import { packCheckpoint, unpackCheckpoint, type Checkpoint } from '../io/checkpoint.js';
import { encodeSnapshot, decodeSnapshot } from '../train/snapshot.js';
import type { TrainerSnapshot } from '../train/trainer.js';
import { READ_LIMITS, readFileLimited, writeFileAtomic } from './files.js';

/**
 * Saves named tensors (e.g. model.stateDict()) as a .safetensors file that PyTorch's
 * safetensors.torch.load_file reads. Metadata values must be strings.
 * @example saveFile('mlp.safetensors', model.stateDict(), { format: 'pt' })
 */
export function saveFile(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Reads a .safetensors file; errors name the file and the byte offset. */
export function loadFile(path: string, opts: { maxBytes?: number } = {}): SafetensorsContents {
  return decodeSafetensors(readFileLimited(path, opts.maxBytes ?? READ_LIMITS.safetensors, 'safetensors'), path);
}

/** Saves a training checkpoint (model, optimizer, position, RNG) atomically. */
export function saveCheckpoint(path: string, c: Checkpoint): void {
  const { tensors, metadata } = packCheckpoint(c);
  saveFile(path, tensors, metadata);
}

/** Loads a training checkpoint saved by saveCheckpoint. */
export function loadCheckpoint(path: string, opts: { maxBytes?: number } = {}): Checkpoint {
  return unpackCheckpoint(loadFile(path, opts), path);
}

/** Saves a Trainer snapshot (src/train/snapshot.ts layout) atomically. */
export function saveSnapshot(path: string, s: TrainerSnapshot): void {
  writeFileAtomic(path, encodeSnapshot(s));
}

/** Loads a Trainer snapshot saved by saveSnapshot; errors name the file. */
export function loadSnapshot(path: string, opts: { maxBytes?: number } = {}): TrainerSnapshot {
  return decodeSnapshot(readFileLimited(path, opts.maxBytes ?? READ_LIMITS.safetensors, 'loadSnapshot:'), path);
}
