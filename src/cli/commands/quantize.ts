/**
 * `shinsou quantize RUN [--calib N] [--method minmax|percentile|mse] [--qat-epochs E] [--out FILE]`:
 * int8 quantization of a trained image-classifier run (src/node/quantize-run.ts): writes the int8
 * model and half-precision copies of the float weights, and prints accuracy, sizes and latency.
 */
import type { Command } from 'commander';
import { quantizeRun, type QuantizeRunOptions } from '../../node/quantize-run.js';
import { formatBytes } from '../../node/files.js';
import { intArg, numArg } from '../options.js';

function choice<T extends string>(name: string, values: readonly T[]): (v: string) => T {
  return (v) => {
    if (!(values as readonly string[]).includes(v)) throw new Error(`--${name} must be one of ${values.join(', ')}, got '${v}'`);
    return v as T;
  };
}

export function registerQuantizeCommands(program: Command): void {
  program
    .command('quantize')
    .description('int8-quantize a trained Fashion-MNIST classifier run (post-training, or with --qat-epochs quantization-aware training)')
    .argument('<run>', 'a run folder written by `shinsou train` (metrics.json and model.safetensors)')
    .option('--calib <n>', 'calibration images, the first of the training set', intArg('calib', 1, 60000), 1000)
    .option(
      '--method <m>',
      'activation ranges: minmax, percentile or mse',
      choice('method', ['minmax', 'percentile', 'mse'] as const),
      'minmax',
    )
    .option('--percentile <p>', 'kept percentile for --method percentile', numArg('percentile', 50, true))
    .option('--per-tensor', 'one weight scale per tensor instead of per output channel')
    .option('--full-range', 'activations on [-128, 127] instead of [0, 127] (disables the relaxed-SIMD dot product)')
    .option('--qat-epochs <n>', 'epochs of quantization-aware training before converting', intArg('qat-epochs', 0, 1000), 0)
    .option('--qat-lr <lr>', 'QAT learning rate (Adam)', numArg('qat-lr', 0, true))
    .option('--qat-limit <n>', 'QAT on the first n training images only (0: all)', intArg('qat-limit', 0, 60000))
    .option('--test-limit <n>', 'evaluate on the first n test images (0: all)', intArg('test-limit', 0, 10000))
    .option('--out <file>', 'int8 model file (default RUN/model-int8.safetensors)')
    .option('--data-dir <dir>', 'data directory')
    .option('--json', 'print the report as JSON')
    .action(async (run: string, a: Record<string, unknown>) => {
      const o: QuantizeRunOptions = {
        calib: a['calib'] as number,
        method: a['method'] as 'minmax',
        qatEpochs: a['qatEpochs'] as number,
        ...(a['percentile'] !== undefined ? { percentile: a['percentile'] as number } : {}),
        ...(a['perTensor'] ? { perChannel: false } : {}),
        ...(a['fullRange'] ? { activationRange: 'full' as const } : {}),
        ...(a['qatLr'] !== undefined ? { qatLr: a['qatLr'] as number } : {}),
        ...(a['qatLimit'] !== undefined ? { qatLimit: a['qatLimit'] as number } : {}),
        ...(a['testLimit'] !== undefined ? { testLimit: a['testLimit'] as number } : {}),
        ...(a['out'] !== undefined ? { out: a['out'] as string } : {}),
        ...(a['dataDir'] !== undefined ? { dataDir: a['dataDir'] as string } : {}),
        log: (l: string) => console.error(l),
      };
      const r = await quantizeRun(run, o);
      if (a['json']) {
        console.log(JSON.stringify(r, null, 2));
        return;
      }
      const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
      console.log(`${r.recipe} (${r.method}): test accuracy float32 ${pct(r.floatAccuracy)}, int8 ${pct(r.int8Accuracy)}`);
      console.log(
        `size: float32 ${formatBytes(r.bytes.float32)}, float16 ${formatBytes(r.bytes.float16)}, bfloat16 ${formatBytes(r.bytes.bfloat16)}, int8 ${formatBytes(r.bytes.int8)} (${(r.bytes.float32 / r.bytes.int8).toFixed(2)}x smaller)`,
      );
      console.log(
        `latency, batch ${r.latencyMs.batch}: float32 ${r.latencyMs.float32.toFixed(2)} ms, int8 ${r.latencyMs.int8.toFixed(2)} ms (${(r.latencyMs.float32 / r.latencyMs.int8).toFixed(2)}x)`,
      );
      console.log(`wrote ${r.files.int8}, ${r.files.float16}, ${r.files.bfloat16}`);
    });
}
