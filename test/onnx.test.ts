// ONNX export checked by ONNX Runtime for Node (npm onnxruntime-node, a dev dependency: the CPU
// runtime ships inside the package; .npmrc skips its CUDA download).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors } from '../src/io/safetensors.js';
import { runExport } from '../src/cli/commands/export.js';
import { randn, randint, manualSeed, noGrad, type Tensor } from '../src/index.js';
import { Sequential, BatchNorm2d, Conv2d, ReLU, AvgPool2d, Flatten, Linear, Sigmoid, Tanh } from '../src/nn/index.js';
import { Module } from '../src/nn/module.js';
import { cnn } from '../src/models/classifier/models.js';
import { resnet20, cifarResnet, wideResnet } from '../src/models/resnet/resnet.js';
import { RNNLanguageModel } from '../src/models/rnn/lm.js';
import { exportOnnx, onnxModelType, registerOnnxConverter, OnnxGraph } from '../src/compress/index.js';

type Ort = typeof import('onnxruntime-node');
const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;

async function runOrt(bytes: Uint8Array, input: Tensor, type: 'float32' | 'int32' = 'float32'): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const data = type === 'int32' ? Int32Array.from(input.data as ArrayLike<number>) : Float32Array.from(input.data as ArrayLike<number>);
  const feeds = { [session.inputNames[0]!]: new ort.Tensor(type, data, [...input.shape]) };
  const out = await session.run(feeds);
  return out[session.outputNames[0]!]!.data as Float32Array;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, `lengths ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Randomizes BatchNorm statistics and affine parameters so evaluation mode is not the identity. */
function warmBatchNorm(model: Module<any, any>, input: () => Tensor): void {
  model.train();
  noGrad(() => {
    for (let i = 0; i < 2; i++) model.forward(input());
  });
  for (const m of model.modules())
    if (m instanceof BatchNorm2d)
      noGrad(() => {
        const w = m.weight!.data;
        const b = m.bias!.data;
        for (let i = 0; i < w.length; i++) [w[i], b[i]] = [0.8 + 0.05 * (i % 7), 0.1 * ((i % 5) - 2)];
      });
  model.eval();
}

async function checkImageModel(name: string, model: Module<any, any>, shape: number[]): Promise<void> {
  warmBatchNorm(model, () => randn(shape));
  const x = randn(shape);
  const want = noGrad(() => model.forward(x) as Tensor).data;
  const bytes = exportOnnx(model, { inputShape: ['batch', ...shape.slice(1)] });
  const got = await runOrt(bytes, x);
  const d = maxAbsDiff(got, want);
  assert.ok(d < 1e-4, `${name}: ONNX Runtime differs by ${d}`);
}

test('exportOnnx: the cnn recipe model runs in ONNX Runtime with the same outputs (1e-4)', async () => {
  manualSeed(0);
  await checkImageModel('cnn', cnn(), [5, 1, 28, 28]);
});

test('exportOnnx: ResNet-20 (option A shortcuts: Slice + Pad) and the option-B / pre-activation / wide variants', async () => {
  manualSeed(1);
  await checkImageModel('resnet20', resnet20({ inChannels: 1 }), [2, 1, 28, 28]);
  await checkImageModel('resnet20 B', resnet20({ inChannels: 1, shortcut: 'B' }), [2, 1, 12, 12]);
  await checkImageModel('preact resnet20', cifarResnet(20, { inChannels: 1, shortcut: 'B', preActivation: true }), [2, 1, 12, 12]);
  await checkImageModel('bottleneck resnet29', cifarResnet(29, { inChannels: 3, block: 'bottleneck', shortcut: 'B' }), [2, 3, 12, 12]);
  await checkImageModel('wrn-10-2', wideResnet(10, 2, { inChannels: 1 }), [2, 1, 12, 12]);
});

test('exportOnnx: a Sequential with BatchNorm, pooling, activations', async () => {
  manualSeed(2);
  const model = new Sequential(
    new Conv2d(2, 4, 3, { padding: 1, stride: 2 }),
    new BatchNorm2d(4),
    new Tanh(),
    new AvgPool2d(2),
    new Flatten(),
    new Linear(4 * 2 * 2, 3),
    new Sigmoid(),
    new ReLU(),
  );
  await checkImageModel('sequential', model, [3, 2, 9, 9]);
});

test('exportOnnx: the LSTM language model (ONNX LSTM per layer, gates reordered) gives the same logits', async () => {
  manualSeed(3);
  const model = new RNNLanguageModel({ vocabSize: 23, embedSize: 6, hiddenSize: 5, numLayers: 2, dropout: 0.2 }).eval();
  const ids = randint(0, 23, [7, 3]);
  const want = noGrad(() => model.forward(ids).logits).data;
  const bytes = exportOnnx(model, { inputShape: ['time', 'batch'], inputType: 'int32' });
  const got = await runOrt(bytes, ids, 'int32');
  const d = maxAbsDiff(got, want);
  assert.ok(d < 1e-4, `LSTM LM: ONNX Runtime differs by ${d}`);
});

test('exportOnnx: the file is a ModelProto with opset 17, named input and output, and metadata', () => {
  manualSeed(4);
  const bytes = exportOnnx(cnn(), { inputShape: ['batch', 1, 28, 28], metadata: { recipe: 'cnn' }, docString: 'test' });
  const m = onnxModelType().decode(bytes).toJSON() as Record<string, any>;
  assert.equal(Number(m['irVersion']), 8);
  assert.equal(Number(m['opsetImport'][0].version), 17);
  assert.equal(m['producerName'], 'shinsou');
  assert.deepEqual(m['metadataProps'], [{ key: 'recipe', value: 'cnn' }]);
  assert.equal(m['graph'].input[0].name, 'input');
  assert.equal(m['graph'].output[0].name, 'output');
  assert.deepEqual(
    m['graph'].node.map((n: { opType: string }) => n.opType),
    ['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Relu', 'Gemm', 'Identity'],
  );
  assert.equal(m['graph'].initializer.length, 8);
});

test('exportOnnx refuses what it cannot write, naming the layer; registerOnnxConverter adds a layer', () => {
  class Mystery extends Module {
    forward(x: Tensor): Tensor {
      return x;
    }
  }
  assert.throws(
    () => exportOnnx(new Sequential(new Linear(2, 2), new Mystery()), { inputShape: [1, 2] }),
    /exportOnnx: no ONNX converter for 1 \(Mystery\)/,
  );
  assert.throws(() => exportOnnx(new Linear(2, 2), { inputShape: [0, 2] }), /exportOnnx: inputShape must be/);
  assert.throws(() => exportOnnx(new Linear(2, 2), { inputShape: [1, 2], opset: 9 } as never), /exportOnnx.*opset/);
  assert.throws(() => exportOnnx({} as never, { inputShape: [1] }), /exportOnnx: argument 1 \(model\) must be an nn.Module/);
  const gru = new RNNLanguageModel({ vocabSize: 5, embedSize: 3, hiddenSize: 3, cell: 'gru' });
  assert.throws(() => exportOnnx(gru, { inputShape: [2, 2], inputType: 'int32' }), /only the LSTM cell is exported/);
  class Custom extends Linear {}
  registerOnnxConverter(Custom, (g: OnnxGraph, _m, x) => g.node('Neg', [x])[0]!);
  manualSeed(5);
  const m = onnxModelType()
    .decode(exportOnnx(new Custom(2, 2), { inputShape: [1, 2] }))
    .toJSON() as Record<string, any>;
  assert.deepEqual(
    m['graph'].node.map((n: { opType: string }) => n.opType),
    ['Neg', 'Identity'],
  );
});

test('shinsou export: a run folder (metrics.json + model.safetensors) to an ONNX file that ONNX Runtime runs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-export-'));
  try {
    manualSeed(6);
    const model = cnn().eval();
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ recipe: 'cnn', options: { epochs: 1 } }));
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(model.stateDict(), { format: 'pt', recipe: 'cnn' }));
    const lines: string[] = [];
    const r = await runExport(dir, { out: join(dir, 'cnn.onnx'), print: (s) => lines.push(s) });
    assert.ok(lines[0]!.includes('cnn.onnx'), lines[0]);
    const x = randn([3, 1, 28, 28]);
    const got = await runOrt(new Uint8Array(readFileSync(r.file)), x);
    assert.ok(maxAbsDiff(got, noGrad(() => model.forward(x)).data) < 1e-4);
    await assert.rejects(() => runExport(dir, { format: 'tflite' as never }), /export: --format must be 'onnx'/);
    await assert.rejects(() => runExport(dir, { bogus: 1 } as never), /runExport: unknown option 'bogus'/);
    await assert.rejects(() => runExport(join(dir, 'missing')), /loadTrainedRun: .*missing does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
