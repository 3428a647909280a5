/**
 * TensorFlow.js side of `npm run bench`: the workloads of src/bench/workloads.ts in tfjs 4.22 on
 * one backend (cpu or wasm), printed as one JSON object. Run as a child process by bench/run.ts:
 *   node dist/bench/tfjs_bench.js --backend wasm --threads 2 [--quick]
 * A workload the backend cannot run (a missing kernel) is reported with its error, not fatal.
 * tfjs has no NCHW convolution gradients on these backends, so images are NHWC (same sizes).
 */
import { createRequire } from 'node:module';
import { timeIt, CONV_SHAPES, type Timing } from '../src/bench/workloads.js';

type TF = typeof import('@tensorflow/tfjs');
type T = import('@tensorflow/tfjs').Tensor;

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const backend = opt('backend', 'cpu');
const threads = Number(opt('threads', '1'));
const quick = args.includes('--quick');

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const tf = (await import('@tensorflow/tfjs')) as unknown as TF;
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = require.resolve('@tensorflow/tfjs-backend-wasm/package.json').replace(/package\.json$/, 'dist/');
    wasm.setWasmPaths(dir);
    wasm.setThreadsCount(threads);
  }
  await tf.setBackend(backend);
  await tf.ready();
  const out: { version: string; backend: string; threads: number; results: Record<string, Timing | { error: string }> } = {
    version: tf.version.tfjs,
    backend: tf.getBackend(),
    threads: backend === 'wasm' ? threads : 1,
    results: {},
  };
  const budget = quick ? 500 : 2000;
  const run = (name: string, step: () => void, heavy = false): void => {
    try {
      // A first run over 5 s is reported as is (tfjs cpu convolution steps take minutes).
      const t0 = performance.now();
      tf.tidy(step);
      const first = performance.now() - t0;
      if (first > 5000) {
        out.results[name] = { medianMs: first, minMs: first, reps: 1 };
        return;
      }
      out.results[name] = timeIt(() => tf.tidy(step), { warmup: 0, minReps: heavy || quick ? 1 : 3, maxReps: 30, budgetMs: budget });
    } catch (e) {
      out.results[name] = { error: (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200) };
    }
  };
  const sync = (t: T | T[]): void => {
    for (const x of Array.isArray(t) ? t : [t]) x.dataSync();
  };
  const param = (shape: number[], scale: number): import('@tensorflow/tfjs').Variable => tf.variable(tf.mul(tf.randomNormal(shape), scale));

  for (const n of [256, 512, 1024]) {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    run(`matmul ${n}`, () => sync(tf.matMul(a, b)), n >= 1024);
  }

  for (const s of CONV_SHAPES) {
    const [N, C, H, W] = s.x;
    const [O, , KH, KW] = s.w;
    const x = tf.randomNormal([N, H, W, C]);
    const pad: 'valid' | [[number, number], [number, number], [number, number], [number, number]] =
      s.padding === 0
        ? 'valid'
        : [
            [0, 0],
            [s.padding, s.padding],
            [s.padding, s.padding],
            [0, 0],
          ];
    if (s.groups === 1) {
      const w = tf.mul(tf.randomNormal([KH, KW, C, O]), 0.1);
      const f = (xx: T, ww: T): T =>
        tf.conv2d(xx as import('@tensorflow/tfjs').Tensor4D, ww as import('@tensorflow/tfjs').Tensor4D, 1, pad);
      const dy = tf.tidy(() => tf.randomNormal(f(x, w).shape));
      run(s.name, () => sync(tf.grads((xx: T, ww: T) => f(xx, ww))([x, w], dy)), true);
    } else {
      const w = tf.mul(tf.randomNormal([KH, KW, C, 1]), 0.1);
      const f = (xx: T, ww: T): T =>
        tf.depthwiseConv2d(xx as import('@tensorflow/tfjs').Tensor4D, ww as import('@tensorflow/tfjs').Tensor4D, 1, pad);
      const dy = tf.tidy(() => tf.randomNormal(f(x, w).shape));
      run(s.name, () => sync(tf.grads((xx: T, ww: T) => f(xx, ww))([x, w], dy)), true);
    }
  }

  {
    const batch = 64;
    const x = tf.randomNormal([batch, 28, 28, 1]) as import('@tensorflow/tfjs').Tensor4D;
    const y = tf.oneHot(tf.randomUniformInt([batch], 0, 10), 10);
    const w1 = param([3, 3, 1, 32], 1 / 3),
      b1 = param([32], 0.1);
    const w2 = param([3, 3, 32, 64], 1 / Math.sqrt(288)),
      b2 = param([64], 0.1);
    const w3 = param([9216, 128], 1 / 96),
      b3 = param([128], 0.1);
    const w4 = param([128, 10], 1 / Math.sqrt(128)),
      b4 = param([10], 0.1);
    run(
      'CNN training step',
      () => {
        const { grads } = tf.variableGrads(() => {
          let h = tf.relu(tf.add(tf.conv2d(x, w1 as never, 1, 'valid'), b1)) as import('@tensorflow/tfjs').Tensor4D;
          h = tf.relu(tf.add(tf.conv2d(h, w2 as never, 1, 'valid'), b2)) as import('@tensorflow/tfjs').Tensor4D;
          h = tf.maxPool(h, 2, 2, 'valid');
          let d: T = tf.reshape(h, [batch, 9216]);
          d = tf.relu(tf.add(tf.matMul(d as never, w3), b3));
          const logits = tf.add(tf.matMul(d as never, w4), b4);
          return tf.losses.softmaxCrossEntropy(y, logits) as import('@tensorflow/tfjs').Scalar;
        });
        sync(Object.values(grads));
      },
      true,
    );
  }

  {
    const batch = 32,
      steps = 35,
      size = 256;
    const x = tf.randomNormal([steps, batch, size]);
    const s = 1 / Math.sqrt(size);
    const w = param([2 * size, 4 * size], s),
      b = param([4 * size], s);
    const xs = tf.unstack(x);
    run(
      'LSTM training step',
      () => {
        const { grads } = tf.variableGrads(() => {
          let h: T = tf.zeros([batch, size]);
          let c: T = tf.zeros([batch, size]);
          const hs: T[] = [];
          for (let t = 0; t < steps; t++) {
            const u = tf.add(tf.matMul(tf.concat([xs[t]!, h], 1) as never, w), b);
            const [i, f, g, o] = tf.split(u, 4, 1);
            c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!)));
            h = tf.mul(tf.sigmoid(o!), tf.tanh(c));
            hs.push(h);
          }
          const all = tf.stack(hs);
          return tf.mean(tf.mul(all, all)) as import('@tensorflow/tfjs').Scalar;
        });
        sync(Object.values(grads));
      },
      true,
    );
  }

  {
    const batch = 32,
      len = 64,
      d = 256,
      heads = 8,
      dh = d / heads,
      ff = 4 * d;
    const x = tf.randomNormal([batch * len, d]);
    const s = 1 / Math.sqrt(d);
    const wqkv = param([d, 3 * d], s),
      bqkv = param([3 * d], 0.02),
      wo = param([d, d], s),
      bo = param([d], 0.02);
    const w1 = param([d, ff], s),
      b1 = param([ff], 0.02),
      w2 = param([ff, d], 1 / Math.sqrt(ff)),
      b2 = param([d], 0.02);
    const g1 = tf.variable(tf.ones([d])),
      be1 = tf.variable(tf.zeros([d])),
      g2 = tf.variable(tf.ones([d])),
      be2 = tf.variable(tf.zeros([d]));
    const ln = (v: T, g: T, be: T): T => {
      const { mean, variance } = tf.moments(v, -1, true);
      return tf.add(tf.mul(tf.mul(tf.sub(v, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), be);
    };
    const heads4 = (t: T): T => tf.transpose(tf.reshape(t, [batch, len, heads, dh]), [0, 2, 1, 3]);
    run(
      'Transformer encoder layer training step',
      () => {
        const { grads } = tf.variableGrads(() => {
          const qkv = tf.add(tf.matMul(x, wqkv), bqkv);
          const [q, k, v] = tf.split(qkv, 3, 1).map(heads4);
          const att = tf.softmax(tf.mul(tf.matMul(q!, k!, false, true), 1 / Math.sqrt(dh)));
          const ctx = tf.reshape(tf.transpose(tf.matMul(att, v!), [0, 2, 1, 3]), [batch * len, d]);
          const x1 = ln(tf.add(x, tf.add(tf.matMul(ctx, wo), bo)), g1, be1);
          const hdn = tf.relu(tf.add(tf.matMul(x1, w1), b1));
          const x2 = ln(tf.add(x1, tf.add(tf.matMul(hdn, w2), b2)), g2, be2);
          return tf.mean(tf.mul(x2, x2)) as import('@tensorflow/tfjs').Scalar;
        });
        sync(Object.values(grads));
      },
      true,
    );
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`tfjs_bench: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
