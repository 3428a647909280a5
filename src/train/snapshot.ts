/**
 * A trainer snapshot as one safetensors file (bytes in, bytes out; src/node writes the files):
 *   <module>.<key>             each module's state dict (the classifier's model.0.weight ...)
 *   optim.<name>.<i>.<buffer>  optimizer buffers by parameter index (optim.model.3.expAvg)
 *   task.<key>                 the task's own tensors (a carried hidden state, the best model)
 *   __metadata__               format 'shinsou.train/1', recipe, and `trainer`: the JSON rest of
 *                              the snapshot (counters, RNG, optimizer steps and groups, schedules,
 *                              the task's JSON, metric accumulators, history).
 */
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import type { SnapshotMeta, TrainerSnapshot } from './trainer.js';

export const SNAPSHOT_FORMAT = 'shinsou.train/1';

/** JSON that keeps NaN and infinities (the RNG's spare normal is NaN when there is none). */
function stringify(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? { $num: String(x) } : x));
}

function parse(s: string): unknown {
  return JSON.parse(s, (_k, x: unknown) => (x !== null && typeof x === 'object' && '$num' in x ? Number((x as { $num: string }).$num) : x));
}

export function encodeSnapshot(s: TrainerSnapshot): Uint8Array {
  const metadata: Record<string, string> = { format: SNAPSHOT_FORMAT, trainer: stringify(s.meta) };
  const recipe = s.meta.info['recipe'];
  if (typeof recipe === 'string') metadata['recipe'] = recipe;
  return encodeSafetensors(s.tensors, metadata);
}

/** Reads bytes written by encodeSnapshot; `source` names the file in errors. */
export function decodeSnapshot(bytes: Uint8Array, source = '<buffer>'): TrainerSnapshot {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  if (metadata['format'] !== SNAPSHOT_FORMAT) {
    throw new Error(
      `decodeSnapshot: ${source} has format ${JSON.stringify(metadata['format'] ?? null)}, expected '${SNAPSHOT_FORMAT}' (a training checkpoint written by shinsou train)`,
    );
  }
  let meta: SnapshotMeta;
  try {
    meta = parse(metadata['trainer'] ?? '') as SnapshotMeta;
  } catch (e) {
    throw new Error(`decodeSnapshot: ${source}: __metadata__.trainer is not valid JSON (${(e as Error).message})`);
  }
  return { tensors, meta };
}
