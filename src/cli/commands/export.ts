/**
 * `shinsou export RUN --format onnx --out model.onnx [--check]`: a trained run (a folder written
 * by `shinsou train`) as an ONNX file (src/compress/onnx.ts). Image recipes take images
 * [batch, 1, 28, 28]; the language models take token ids [time, batch] (int32) and return logits
 * [time * batch, vocabulary]. --check runs the file in ONNX Runtime for Node (the dev dependency
 * onnxruntime-node) on the test set's first batch and reports the largest difference from
 * shinsou's own outputs; it fails above --tolerance (default 1e-4).
 */
import type { Command } from 'commander';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { gatherRows } from '../../data/dataset.js';
import { Vocab } from '../../data/text/vocab.js';
import type { Module } from '../../nn/module.js';
import { exportOnnx, type OnnxExportOptions } from '../../compress/onnx.js';
import { prepareImages } from '../../models/classifier/evaluate.js';
import { RNNLanguageModel, batchify, getBatch } from '../../models/rnn/lm.js';
import type { KjvData } from '../../models/rnn/recipes.js';
import { buildTrainedModel, loadTrainedRun, type TrainedRun } from '../../node/trained-run.js';
import { loadRecipeData } from '../../node/recipe-data.js';
import { writeFileAtomic } from '../../node/files.js';
import '../../models/index.js';
import '../../compress/recipes.js';

export interface ExportCommandOptions {
  /** 'onnx' (the only format so far). */
  format?: 'onnx';
  /** Output file (default RUN/model.onnx). */
  out?: string;
  /** Run the file in ONNX Runtime on the test set's first batch and compare. */
  check?: boolean;
  /** Largest absolute difference --check accepts (default 1e-4). */
  tolerance?: number;
  dataDir?: string;
  print?: (line: string) => void;
}
const EXPORT_KEYS = ['format', 'out', 'check', 'tolerance', 'dataDir', 'print'];

export interface ExportResult {
  file: string;
  bytes: number;
  /** With --check: the largest |ONNX Runtime - shinsou| over the batch, and the batch's shape. */
  maxAbsDiff?: number;
  batchShape?: number[];
}

function isLanguageModel(model: Module<any, any>): model is RNNLanguageModel {
  return model instanceof RNNLanguageModel;
}

/** The test set's first batch of a run, as the recipe batches it (images: its batch size; text: one BPTT segment of the evaluation batch). */
async function firstTestBatch(run: TrainedRun, model: Module<any, any>, dataDir: string | undefined): Promise<Tensor> {
  const o = run.options;
  const loadOpts = dataDir !== undefined ? { dataDir } : {};
  if (isLanguageModel(model)) {
    const vocabJson = run.metadata['vocab'];
    if (!vocabJson) throw new Error(`export --check: ${run.modelFile} records no vocabulary`);
    const vocab = Vocab.fromJSON(JSON.parse(vocabJson) as Parameters<typeof Vocab.fromJSON>[0]);
    const data = (await loadRecipeData('kjv', loadOpts)) as KjvData;
    const books = (s: unknown): string[] =>
      String(s)
        .split(',')
        .map((b) => b.trim());
    const text = data.split({ train: null, valid: books(o['validBooks']), test: books(o['testBooks']) });
    const bptt = Number(o['bptt']);
    return getBatch(batchify(vocab.encode(text.test), 10), 0, bptt).data;
  }
  const data = (await loadRecipeData('fashion-mnist', loadOpts)) as { test: { images: Tensor } };
  const n = Math.min(Number(o['batchSize'] ?? 64), data.test.images.shape[0]!);
  return prepareImages(
    gatherRows(
      data.test.images,
      Array.from({ length: n }, (_, i) => i),
    ),
  );
}

/** The export command's work, callable from tests. */
export async function runExport(runPath: string, o: ExportCommandOptions = {}): Promise<ExportResult> {
  for (const k of Object.keys(o))
    if (!EXPORT_KEYS.includes(k)) throw new Error(`runExport: unknown option '${k}' (known: ${EXPORT_KEYS.join(', ')})`);
  if ((o.format ?? 'onnx') !== 'onnx') throw new Error(`export: --format must be 'onnx', got '${String(o.format)}'`);
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const run = loadTrainedRun(runPath);
  const model = buildTrainedModel(run);
  const lm = isLanguageModel(model);
  const options: OnnxExportOptions = lm
    ? {
        inputShape: ['time', 'batch'],
        inputType: 'int32',
        docString: `${run.recipe.name}: token ids [time, batch] -> logits [time * batch, vocabulary]`,
      }
    : {
        inputShape: ['batch', 1, 28, 28],
        docString: `${run.recipe.name}: normalized images [batch, 1, 28, 28] -> logits [batch, classes]`,
      };
  const bytes = exportOnnx(model, {
    ...options,
    metadata: { recipe: run.recipe.name, options: JSON.stringify(run.options), source: run.modelFile },
  });
  const file = resolve(o.out ?? `${run.dir}/model.onnx`);
  writeFileAtomic(file, bytes);
  print(`${run.recipe.name} (${run.modelFile}) -> ${file} (${bytes.length} bytes, ONNX opset 17)`);
  const result: ExportResult = { file, bytes: bytes.length };
  if (!o.check) return result;

  const x = await firstTestBatch(run, model, o.dataDir);
  const want = noGrad(() => (lm ? model.forward(x).logits : (model.forward(x) as Tensor))).data;
  let ort: typeof import('onnxruntime-node');
  try {
    ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
  } catch (e) {
    throw new Error(`export --check needs onnxruntime-node (a dev dependency: npm install onnxruntime-node): ${(e as Error).message}`);
  }
  const session = await ort.InferenceSession.create(bytes);
  const feed = lm
    ? new ort.Tensor('int32', Int32Array.from(x.data as ArrayLike<number>), [...x.shape])
    : new ort.Tensor('float32', Float32Array.from(x.data as ArrayLike<number>), [...x.shape]);
  const got = (await session.run({ [session.inputNames[0]!]: feed }))[session.outputNames[0]!]!.data as Float32Array;
  if (got.length !== want.length) throw new Error(`export --check: ONNX Runtime gave ${got.length} outputs, shinsou ${want.length}`);
  let d = 0;
  for (let i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i]! - want[i]!));
  const tol = o.tolerance ?? 1e-4;
  print(
    `check: ONNX Runtime ${ort.env.versions.node} on the test set's first batch [${x.shape.join(', ')}]: max |difference| ${d.toExponential(2)} (tolerance ${tol})`,
  );
  if (!(d <= tol)) throw new Error(`export --check: ONNX Runtime's outputs differ from shinsou's by ${d}, above the tolerance ${tol}`);
  return { ...result, maxAbsDiff: d, batchShape: [...x.shape] };
}

export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .description('write a trained run as an ONNX model (checked with ONNX Runtime by --check)')
    .argument('<run>', "a run folder written by 'shinsou train' (or its model.safetensors)")
    .option('--format <format>', "output format: 'onnx'", 'onnx')
    .option('--out <file>', 'output file (default RUN/model.onnx)')
    .option('--check', "run the file in ONNX Runtime on the test set's first batch and compare with shinsou's outputs")
    .option('--tolerance <x>', 'largest absolute difference --check accepts (default 1e-4)', (v) => {
      const x = Number(v);
      if (!(x >= 0)) throw new Error(`--tolerance must be a number >= 0, got '${v}'`);
      return x;
    })
    .option('--data-dir <dir>', 'data directory (default $SHINSOU_DATA or ~/.cache/shinsou)')
    .action(async (run: string, opts: { format: string; out?: string; check?: boolean; tolerance?: number; dataDir?: string }) => {
      await runExport(run, {
        format: opts.format as 'onnx',
        ...(opts.out !== undefined ? { out: opts.out } : {}),
        ...(opts.check ? { check: true } : {}),
        ...(opts.tolerance !== undefined ? { tolerance: opts.tolerance } : {}),
        ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
      });
    });
}
