/** The progress bar of `shinsou train` on a terminal, as a Trainer callback. */
import cliProgress from 'cli-progress';
import type { Callback } from '../train/trainer.js';

const clock = (s: number): string => `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;

/** One bar per epoch: loss, the first running total (e.g. accuracy), examples/s, epoch and run ETA. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): { callback: Callback; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: 'epoch {ep} |{bar}| {value}/{total} | loss {loss}{metric} | {speed} ex/s | ETA {eta_formatted} (run {runEta})',
      hideCursor: true,
      etaBuffer: 50,
      stream,
    },
    cliProgress.Presets.shades_classic,
  );
  let barEpoch = -1;
  let epochStart = 0;
  let examplesAtStart = 0;
  const runStart = performance.now();
  let stepsHere = 0;
  const callback: Callback = {
    onStep: (t, s) => {
      if (s.batch === s.batches) return; // the epoch has ended and its bar is closed
      if (barEpoch !== s.epoch) {
        if (barEpoch >= 0) bar.stop();
        barEpoch = s.epoch;
        epochStart = performance.now();
        // Examples/s counts only what this process trained (a resumed epoch starts part way).
        examplesAtStart = s.examples;
        bar.start(s.batches, s.batch - 1, { ep: `${s.epoch + 1}/${t.epochs}`, loss: '-', metric: '', speed: '-', runEta: '-' });
      }
      stepsHere++;
      const secs = (performance.now() - epochStart) / 1000;
      const left = t.totalSteps - s.step;
      const first = Object.entries(s.epochTotals)[0];
      bar.update(s.batch, {
        loss: s.epochLoss.toFixed(4),
        metric: first ? ` | ${first[0]} ${first[1].toFixed(4)}` : '',
        speed: secs > 0 && s.examples > examplesAtStart ? Math.round((s.examples - examplesAtStart) / secs) : '-',
        runEta: clock(((performance.now() - runStart) / 1000 / stepsHere) * left),
      });
    },
    onEpochEnd: () => {
      bar.stop();
      barEpoch = -1;
    },
    onFitEnd: () => {
      bar.stop();
    },
  };
  return { callback, stop: () => bar.stop() };
}
