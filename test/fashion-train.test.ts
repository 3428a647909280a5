import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Generator, Tensor, data, randn, tensor, crossEntropy, backward } from '../src/index.js';
import '../src/models/index.js';
import { saveSnapshot, loadSnapshot } from '../src/node/index.js';
import { runTrain, runEval } from '../src/cli/commands/train.js';
import { cnn, type LabeledImages } from '../src/models/classifier/index.js';
import { prepareRecipe } from '../src/train/index.js';

/** n images whose class is written into them (a bright row at 2 * label), plus noise: learnable. */
function synthetic(n: number, seed: number): { px: Uint8Array; labels: number[] } {
  const g = new Generator(seed);
  const labels = Array.from({ length: n }, () => g.int(0, 10));
  const px = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 784; j++) px[i * 784 + j] = g.int(0, 60);
    for (let c = 0; c < 28; c++) px[i * 784 + (2 * labels[i]! + 4) * 28 + c] = 255;
  }
  return { px, labels };
}

function writeFashion(dir: string, nTrain: number, nTest: number): void {
  const d = join(dir, 'fashion-mnist');
  mkdirSync(d, { recursive: true });
  const tr = synthetic(nTrain, 1);
  const te = synthetic(nTest, 2);
  const idx = (dtype: 'uint8', shape: number[], values: ArrayLike<number>) => data.encodeIdx({ dtype, shape, data: values });
  writeFileSync(join(d, 'train-images-idx3-ubyte.gz'), gzipSync(idx('uint8', [nTrain, 28, 28], tr.px)));
  writeFileSync(join(d, 'train-labels-idx1-ubyte.gz'), gzipSync(idx('uint8', [nTrain], tr.labels)));
  writeFileSync(join(d, 't10k-images-idx3-ubyte'), idx('uint8', [nTest, 28, 28], te.px));
  writeFileSync(join(d, 't10k-labels-idx1-ubyte'), idx('uint8', [nTest], te.labels));
}

function asSet(n: number, seed: number): LabeledImages {
  const s = synthetic(n, seed);
  return {
    images: new Tensor(
      Float32Array.from(s.px, (v) => v / 255),
      [n, 1, 28, 28],
    ),
    labels: new Tensor(Int32Array.from(s.labels), [n]),
  };
}

const quiet = { print: () => {}, progress: false } as const;

test('shinsou train mlp: a quick run on generated IDX files writes checkpoint, model, metrics.json and curves.svg; eval reads them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-train-'));
  try {
    writeFashion(dir, 300, 100);
    const lines: string[] = [];
    const out = join(dir, 'run');
    const r = await runTrain('mlp', {
      dataDir: dir,
      options: { limit: 256, epochs: 2, batchSize: 32, seed: 3 },
      out,
      progress: false,
      print: (s) => lines.push(s),
    });
    assert.equal(r.runDir, out);
    for (const f of ['checkpoint.safetensors', 'model.safetensors', 'metrics.json', 'curves.svg']) assert.ok(existsSync(join(out, f)), f);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.equal(m.finished, true);
    assert.ok(
      lines.some((l) => / 256 training examples, 100 test/.test(l)),
      lines.join('\n'),
    );
    assert.equal(m.steps, 16);
    assert.equal(m.epochs.length, 2);
    m.testAccuracy = m.epochs[1].eval.testAccuracy;
    assert.ok(m.testAccuracy > 0.5, `the synthetic task is easy; got ${m.testAccuracy}`);
    assert.ok(readFileSync(join(out, 'curves.svg'), 'utf8').startsWith('<svg'));
    assert.ok(
      lines.some((l) => /^epoch 2\/2: train loss [\d.]+ acc [\d.]+ \| test loss [\d.]+ acc [\d.]+/.test(l)),
      lines.join('\n'),
    );

    for (const file of ['checkpoint.safetensors', 'model.safetensors']) {
      const ev: string[] = [];
      const res = await runEval(join(out, file), { dataDir: dir, print: (s) => ev.push(s) });
      assert.equal(res.accuracy, m.testAccuracy);
      assert.match(ev.join('\n'), /test examples 100: accuracy [\d.]+/);
      assert.match(ev.join('\n'), /true \\ pred.*recall\n0 T-shirt\/top/);
    }
    await assert.rejects(
      runTrain('cnn', { dataDir: dir, resume: join(out, 'checkpoint.safetensors'), ...quiet }),
      /is a 'mlp' run, not 'cnn'/,
    );
    await assert.rejects(
      runTrain('rnn', { dataDir: dir, ...quiet }),
      /unknown recipe 'rnn': expected one of mlp, cnn, .*char-lstm.*adding, binary-addition/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shinsou train --resume: one epoch, then resume to two, equals two epochs straight (byte for byte)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-resume-'));
  try {
    writeFashion(dir, 200, 50);
    const base = { limit: 160, batchSize: 32, seed: 5 };
    await runTrain('mlp', { dataDir: dir, options: { ...base, epochs: 2 }, out: join(dir, 'straight'), ...quiet });
    await runTrain('mlp', { dataDir: dir, options: { ...base, epochs: 1 }, out: join(dir, 'split'), ...quiet });
    await runTrain('mlp', { dataDir: dir, options: { epochs: 2 }, resume: join(dir, 'split', 'checkpoint.safetensors'), ...quiet });
    assert.deepEqual(readFileSync(join(dir, 'split', 'model.safetensors')), readFileSync(join(dir, 'straight', 'model.safetensors')));
    const a = JSON.parse(readFileSync(join(dir, 'straight', 'metrics.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'split', 'metrics.json'), 'utf8'));
    const acc = (e: { eval: { testAccuracy: number } }) => e.eval.testAccuracy;
    assert.deepEqual(b.epochs.map(acc), a.epochs.map(acc));
    await assert.rejects(
      runTrain('mlp', {
        dataDir: dir,
        options: { epochs: 3, batchSize: 16 },
        resume: join(dir, 'split', 'checkpoint.safetensors'),
        ...quiet,
      }),
      /was trained with batch-size = 32; only --epochs may change on resume/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resume: a run killed mid-epoch and restored from its checkpoint ends with exactly the uninterrupted weights', async () => {
  const data = { train: asSet(200, 7), test: asSet(40, 8) };
  const opts = { epochs: 3, batchSize: 16, lr: 2e-3, seed: 11 };
  const straight = prepareRecipe('mlp', opts, data);
  await straight.trainer.fit();
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-kill-'));
  try {
    for (const killAt of [17, 13]) {
      // 13 batches per epoch: step 17 is inside epoch 2, step 13 the last batch of epoch 1.
      const path = join(dir, `kill-${killAt}.safetensors`);
      const first = prepareRecipe('mlp', opts, data, [
        {
          onStep: (t, s) => {
            if (s.step !== killAt) return;
            saveSnapshot(path, t.snapshot());
            return 'stop';
          },
        },
      ]);
      assert.equal((await first.trainer.fit()).finished, false);
      randn([100]); // the "new process" starts from a different global RNG state
      const second = prepareRecipe('mlp', opts, data);
      second.trainer.restore(loadSnapshot(path));
      assert.equal((await second.trainer.fit()).finished, true);
      assert.equal(second.trainer.step, straight.trainer.step);
      const want = straight.trainer.task.modules!['model']!.stateDict();
      for (const [k, t] of Object.entries(second.trainer.task.modules!['model']!.stateDict())) {
        assert.deepEqual(t.data, want[k]!.data, `${k} differs after resuming at step ${killAt}`);
      }
      const curve = (h: typeof straight.trainer.history) => h.map((e) => [e.trainLoss, e.eval['testAccuracy']]);
      assert.deepEqual(curve(second.trainer.history), curve(straight.trainer.history));
      assert.deepEqual(second.trainer.task.optimizers!['adam']!.stateDict(), straight.trainer.task.optimizers!['adam']!.stateDict());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cnn recipe: builds, maps [N, 1, 28, 28] to [N, 10] and trains a step', () => {
  const model = cnn();
  const x = randn([2, 1, 28, 28]);
  const y = model.forward(x);
  assert.deepEqual(y.shape, [2, 10]);
  backward([crossEntropy(y, tensor(Int32Array.from([3, 7])))]);
  for (const p of model.parameters()) assert.ok(p.grad, 'every parameter gets a gradient');
  assert.deepEqual(Object.keys(model.stateDict()), [
    '0.weight',
    '0.bias',
    '3.weight',
    '3.bias',
    '7.weight',
    '7.bias',
    '9.weight',
    '9.bias',
  ]);
});
