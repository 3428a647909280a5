/**
 * The files of a training run, as a Trainer callback: checkpoint.safetensors (every checkpoint
 * moment, atomic), metrics.json (each epoch and at the end), the recipe's artifacts (model,
 * samples...) and curves.svg (running train loss and evaluation metrics, drawn at the end).
 * An artifact named `NAME.vl.json` is a Vega-Lite spec: it is written as is and also rendered to
 * `NAME.svg` (recipes stay browser-safe and synchronous; the rendering is Node's).
 */
import { join } from 'node:path';
import type { Callback, Trainer, FitResult } from '../train/trainer.js';
import { rejectUnknownKeys } from '../train/options.js';
import { saveSnapshot } from './checkpoint.js';
import { writeFileAtomic } from './files.js';
import { trainingCurvesSvg, vegaLiteSvg, type CurvePoint } from './plot.js';

export interface RunFilesOptions {
  /** The run folder (created by the caller). */
  dir: string;
  /** Title of curves.svg. */
  title: string;
  /** Files the run produces (RecipeRun.artifacts), written at each epoch end and at the end. */
  artifacts?: () => Record<string, string | Uint8Array>;
  /** Anything else to record in metrics.json (recipe, options, data sizes...). */
  info?: Record<string, unknown>;
}

/**
 * Loss and the evaluation's metrics as plot points: running train loss, per-epoch train means,
 * evaluations. Step totals named loss<X> (a GAN's lossD and lossG) get curves of their own.
 */
export function curvePoints(t: Trainer): CurvePoint[] {
  const pts: CurvePoint[] = [];
  for (const p of t.log) {
    pts.push({ epoch: p.epoch, split: 'train (running)', loss: p.loss });
    for (const [k, v] of Object.entries(p.totals ?? {}))
      if (/^loss./.test(k)) pts.push({ epoch: p.epoch, split: `${k} (running)`, loss: v });
  }
  for (const e of t.history) {
    pts.push({
      epoch: e.epoch,
      split: 'train',
      loss: e.trainLoss,
      ...(e.train['trainAccuracy'] !== undefined ? { accuracy: e.train['trainAccuracy'] } : {}),
    });
    for (const [k, v] of Object.entries(e.train))
      if (/^trainLoss./.test(k)) pts.push({ epoch: e.epoch, split: `train ${k[5]!.toLowerCase()}${k.slice(6)}`, loss: v });
  }
  for (const r of t.evals) {
    const loss = Object.entries(r.metrics).find(([k]) => /loss$/i.test(k) || k === 'mse');
    const acc = Object.entries(r.metrics).find(([k]) => /accuracy$/i.test(k));
    const split = (loss ?? acc)?.[0].replace(/(Loss|Accuracy|loss|mse)$/, '') || 'eval';
    if (loss || acc) pts.push({ epoch: r.epoch, split, ...(loss ? { loss: loss[1] } : {}), ...(acc ? { accuracy: acc[1] } : {}) });
  }
  return pts;
}

/** The callback that writes a run's files into `dir`. */
export function runFiles(o: RunFilesOptions): Callback {
  rejectUnknownKeys('runFiles', o, ['dir', 'title', 'artifacts', 'info']);
  if (typeof o.dir !== 'string' || o.dir === '') throw new Error(`runFiles: dir must be a folder path, got ${String(o.dir)}`);
  const started = performance.now();
  const writeMetrics = (t: Trainer, result: FitResult | null): void => {
    const metrics = {
      ...o.info,
      finished: result !== null,
      stoppedEarly: result?.stoppedEarly ?? false,
      steps: t.step,
      final: result?.final ?? {},
      wallSeconds: (performance.now() - started) / 1000,
      epochs: t.history,
      evals: t.evals,
      node: process.version,
    };
    writeFileAtomic(join(o.dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  };
  const writeArtifacts = async (): Promise<void> => {
    for (const [name, data] of Object.entries(o.artifacts?.() ?? {})) {
      writeFileAtomic(join(o.dir, name), data);
      if (name.endsWith('.vl.json') && typeof data === 'string')
        writeFileAtomic(
          join(o.dir, `${name.slice(0, -'.vl.json'.length)}.svg`),
          await vegaLiteSvg(JSON.parse(data) as Record<string, unknown>),
        );
    }
  };
  return {
    onEpochEnd: async (t) => {
      writeMetrics(t, null);
      await writeArtifacts();
    },
    onCheckpoint: (t) => saveSnapshot(join(o.dir, 'checkpoint.safetensors'), t.snapshot()),
    onFitEnd: async (t, r) => {
      await writeArtifacts();
      writeMetrics(t, r);
      writeFileAtomic(join(o.dir, 'curves.svg'), await trainingCurvesSvg(curvePoints(t), o.title));
    },
  };
}
