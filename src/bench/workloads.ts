/**
 * Benchmark workloads written with the public ops, shared by `npm run bench` (bench/run.ts, which
 * also runs the same workloads in PyTorch and TensorFlow.js) and `shinsou bench [--profile]`.
 * Each workload builds its inputs once and returns a `step` that runs one iteration
 * (forward + backward for the training steps, gradients zeroed first).
 */
import { Tensor } from '../tensor/tensor.js';
import { randn, randint, zeros, ones, tensor } from '../tensor/creation.js';
import { backward } from '../autograd/engine.js';
import {
  add,
  cat,
  conv2d,
  crossEntropy,
  matmul,
  maxPool2d,
  mean,
  mul,
  narrow,
  permute,
  relu,
  reshape,
  sigmoid,
  softmax,
  stack,
  tanh,
  transpose,
} from '../ops/index.js';
import { GRU, LSTM } from '../nn/layers/recurrent.js';
import { Embedding } from '../nn/layers/basic.js';
import { Linear } from '../nn/layers/linear.js';
import { MultiheadAttention } from '../nn/layers/attention.js';
import { Transformer } from '../nn/layers/transformer.js';
import { PositionalEncoding } from '../nn/layers/positional.js';
import { tieWeights } from '../nn/tie.js';
import { layerNorm } from '../nn/functional.js';
import type { Module } from '../nn/module.js';
import { BasicBlock, Bottleneck } from '../models/resnet/blocks.js';
import { DenseBlock } from '../models/densenet/densenet.js';
import { depthwiseSeparable } from '../models/mobilenet/mobilenet-v1.js';

export interface Workload {
  name: string;
  /** Short description of shapes, for the report. */
  detail: string;
  /** Floating point operations per step, when well defined (matmul). */
  flops?: number;
  step: () => void;
}

function param(shape: number[], scale: number): Tensor {
  return mul(randn(shape), scale).detach().requiresGrad_();
}

function zeroGrads(ps: Tensor[]): void {
  for (const p of ps) p.grad = null;
}

export function matmulWorkload(n: number): Workload {
  const a = randn([n, n]);
  const b = randn([n, n]);
  return { name: `matmul ${n}`, detail: `[${n}, ${n}] x [${n}, ${n}] float32`, flops: 2 * n * n * n, step: () => void matmul(a, b) };
}

export interface ConvShape {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  padding: number;
  groups: number;
}

/** Typical layer shapes: the CNN's second conv, a ResNet 3x3, a depthwise 3x3 and a pointwise 1x1. */
export const CONV_SHAPES: ConvShape[] = [
  { name: 'conv 32->64 3x3 (26x26, N64)', x: [64, 32, 26, 26], w: [64, 32, 3, 3], padding: 0, groups: 1 },
  { name: 'conv 64->128 3x3 pad1 (32x32, N16)', x: [16, 64, 32, 32], w: [128, 64, 3, 3], padding: 1, groups: 1 },
  { name: 'depthwise 128 3x3 pad1 (32x32, N16)', x: [16, 128, 32, 32], w: [128, 1, 3, 3], padding: 1, groups: 128 },
  { name: 'pointwise 128->256 1x1 (32x32, N16)', x: [16, 128, 32, 32], w: [256, 128, 1, 1], padding: 0, groups: 1 },
];

export function convWorkload(s: ConvShape): Workload {
  const x = randn(s.x).requiresGrad_();
  const w = param(s.w, 0.1);
  const y0 = conv2d(x.detach(), w.detach(), null, { padding: s.padding, groups: s.groups });
  const gy = randn([...y0.shape]);
  return {
    name: s.name,
    detail: `x ${JSON.stringify(s.x)} w ${JSON.stringify(s.w)} forward + backward (dx, dw)`,
    step: () => {
      zeroGrads([x, w]);
      const y = conv2d(x, w, null, { padding: s.padding, groups: s.groups });
      backward([y], [gy]);
    },
  };
}

/** Fashion-MNIST-sized CNN: conv 1->32 3x3, relu, conv 32->64 3x3, relu, maxpool 2, dense 9216->128, relu, dense ->10, cross-entropy. */
export function cnnWorkload(batch = 64): Workload {
  const x = randn([batch, 1, 28, 28]);
  const y = randint(0, 10, [batch]);
  const w1 = param([32, 1, 3, 3], 1 / 3);
  const b1 = param([32], 0.1);
  const w2 = param([64, 32, 3, 3], 1 / Math.sqrt(288));
  const b2 = param([64], 0.1);
  const w3 = param([9216, 128], 1 / 96);
  const b3 = param([128], 0.1);
  const w4 = param([128, 10], 1 / Math.sqrt(128));
  const b4 = param([10], 0.1);
  const ps = [w1, b1, w2, b2, w3, b3, w4, b4];
  return {
    name: 'CNN training step',
    detail: `batch ${batch}, 28x28: conv 1->32 3x3, relu, conv 32->64 3x3, relu, maxpool 2, dense 9216->128, relu, dense ->10, cross-entropy`,
    step: () => {
      zeroGrads(ps);
      let h = relu(conv2d(x, w1, b1));
      h = relu(conv2d(h, w2, b2));
      h = maxPool2d(h, { kernelSize: 2 });
      h = reshape(h, [batch, 9216]);
      h = relu(add(matmul(h, w3), b3));
      const logits = add(matmul(h, w4), b4);
      crossEntropy(logits, y).backward();
    },
  };
}

/**
 * LSTM over T steps written with raw ops: per step one fused matmul for the 4 gates,
 * u^t = [x^t, h^{t-1}] W + b with W = [W_ih; W_hh], split into i, f, g, o;
 * c^t = σ(f) c^{t-1} + σ(i) tanh(g); h^t = σ(o) tanh(c^t). Loss: mean of h^t squared.
 */
export function lstmWorkload(batch = 32, steps = 35, size = 256): Workload {
  const x = randn([steps, batch, size]);
  const s = 1 / Math.sqrt(size);
  const w = param([2 * size, 4 * size], s);
  const b = param([4 * size], s);
  const ps = [w, b];
  const xs = Array.from({ length: steps }, (_, t) => reshape(narrow(x, 0, t, 1), [batch, size]));
  return {
    name: 'LSTM training step',
    detail: `batch ${batch}, T ${steps}, ${size} in/hidden, one fused matmul [x, h] W for the 4 gates per step + sigmoid/tanh`,
    step: () => {
      zeroGrads(ps);
      let h: Tensor = zeros([batch, size]);
      let c: Tensor = zeros([batch, size]);
      const hs: Tensor[] = [];
      for (let t = 0; t < steps; t++) {
        const u = add(matmul(cat([xs[t]!, h], 1), w), b);
        const i = sigmoid(narrow(u, 1, 0, size));
        const f = sigmoid(narrow(u, 1, size, size));
        const g = tanh(narrow(u, 1, 2 * size, size));
        const o = sigmoid(narrow(u, 1, 3 * size, size));
        c = add(mul(f, c), mul(i, g));
        h = mul(o, tanh(c));
        hs.push(h);
      }
      const out = stack(hs);
      mean(mul(out, out)).backward();
    },
  };
}

/** The same LSTM sizes through nn.LSTM (the fused layer op), as PyTorch's torch.nn.LSTM row. */
export function lstmModuleWorkload(batch = 32, steps = 35, size = 256): Workload {
  return recurrentModuleWorkload('LSTM training step (nn.LSTM)', new LSTM(size, size), batch, steps, size);
}

/** The same sizes through nn.GRU (the fused layer op), as PyTorch's torch.nn.GRU row. */
export function gruModuleWorkload(batch = 32, steps = 35, size = 256): Workload {
  return recurrentModuleWorkload('GRU training step (nn.GRU)', new GRU(size, size), batch, steps, size);
}

function recurrentModuleWorkload(name: string, layer: LSTM | GRU, batch: number, steps: number, size: number): Workload {
  const x = randn([steps, batch, size]);
  const ps = layer.parameters();
  return {
    name,
    detail: `batch ${batch}, T ${steps}, ${size} in/hidden, one layer, both biases`,
    step: () => {
      zeroGrads(ps);
      const { output } = layer.forward(x);
      mean(mul(output, output)).backward();
    },
  };
}

/** One post-norm Transformer encoder layer (as torch.nn.TransformerEncoderLayer, ReLU FFN of 4 d_model, no dropout). */
export function transformerWorkload(batch = 32, len = 64, dModel = 256, heads = 8): Workload {
  const dh = dModel / heads;
  const ff = 4 * dModel;
  const x = randn([batch * len, dModel]);
  const s = 1 / Math.sqrt(dModel);
  const wqkv = param([dModel, 3 * dModel], s);
  const bqkv = param([3 * dModel], 0.02);
  const wo = param([dModel, dModel], s);
  const bo = param([dModel], 0.02);
  const w1 = param([dModel, ff], s);
  const b1 = param([ff], 0.02);
  const w2 = param([ff, dModel], 1 / Math.sqrt(ff));
  const b2 = param([dModel], 0.02);
  const g1 = ones([dModel]).requiresGrad_();
  const be1 = zeros([dModel]).requiresGrad_();
  const g2 = ones([dModel]).requiresGrad_();
  const be2 = zeros([dModel]).requiresGrad_();
  const ps = [wqkv, bqkv, wo, bo, w1, b1, w2, b2, g1, be1, g2, be2];
  const heads4 = (t: Tensor): Tensor => permute(reshape(t, [batch, len, heads, dh]), [0, 2, 1, 3]);
  return {
    name: 'Transformer encoder layer training step',
    detail: `batch ${batch}, length ${len}, d_model ${dModel}, ${heads} heads, FFN ${ff}, post-norm`,
    step: () => {
      zeroGrads(ps);
      const qkv = add(matmul(x, wqkv), bqkv);
      const q = heads4(narrow(qkv, 1, 0, dModel));
      const k = heads4(narrow(qkv, 1, dModel, dModel));
      const v = heads4(narrow(qkv, 1, 2 * dModel, dModel));
      const att = softmax(mul(matmul(q, transpose(k, -1, -2)), 1 / Math.sqrt(dh)), -1);
      const ctx = reshape(permute(matmul(att, v), [0, 2, 1, 3]), [batch * len, dModel]);
      const x1 = layerNorm(add(x, add(matmul(ctx, wo), bo)), [dModel], g1, be1);
      const hdn = relu(add(matmul(x1, w1), b1));
      const x2 = layerNorm(add(x1, add(matmul(hdn, w2), b2)), [dModel], g2, be2);
      mean(mul(x2, x2)).backward();
    },
  };
}

/** A key padding mask [N, L]: true past each sequence's length (lengths cycle from L down by 3). */
function paddingMask(n: number, len: number): Tensor {
  const lengths = Array.from({ length: n }, (_, i) => len - ((3 * i) % Math.max(1, Math.floor(len / 2))));
  return tensor(
    Array.from({ length: n * len }, (_, i) => i % len >= lengths[Math.floor(i / len)]!),
    { shape: [n, len], dtype: 'bool' },
  );
}

/**
 * nn.MultiheadAttention, self-attention over a padded batch: the in-projection, the scaled dot
 * products with the key padding mask, softmax, the weighted sum and the out-projection, forward and
 * backward (input and every parameter), as torch.nn.MultiheadAttention with need_weights=False.
 */
export function attentionWorkload(batch = 32, len = 64, dModel = 256, heads = 8): Workload {
  const mha = new MultiheadAttention(dModel, heads, { batchFirst: true });
  const x = randn([batch, len, dModel]).requiresGrad_();
  const kpm = paddingMask(batch, len);
  const ps = [x, ...mha.parameters()];
  return {
    name: 'attention layer training step (nn.MultiheadAttention)',
    detail: `batch ${batch}, length ${len}, d_model ${dModel}, ${heads} heads, self-attention with a key padding mask, forward + backward`,
    step: () => {
      zeroGrads(ps);
      const [y] = mha.forward(x, x, x, { keyPaddingMask: kpm, needWeights: false });
      mean(mul(y, y)).backward();
    },
  };
}

/**
 * A translation-sized encoder-decoder training step: token embeddings (tied with the output
 * projection) scaled by sqrt(d_model), sinusoidal positions, nn.Transformer (post-norm, ReLU,
 * dropout 0.1) with source/target padding masks and the causal target mask, the logits over the
 * vocabulary and cross-entropy; forward and backward.
 */
export function transformerSeq2seqWorkload(batch = 32, len = 32, dModel = 256, heads = 8, layers = 2, vocab = 4000): Workload {
  const emb = new Embedding(vocab, dModel);
  const pos = new PositionalEncoding(dModel, { maxLen: len, dropout: 0.1, batchFirst: true });
  const model = new Transformer({
    dModel,
    nhead: heads,
    numEncoderLayers: layers,
    numDecoderLayers: layers,
    dimFeedforward: 4 * dModel,
    dropout: 0.1,
    batchFirst: true,
  });
  const head = new Linear(dModel, vocab);
  tieWeights(head, emb);
  const ps = [...emb.parameters(), ...model.parameters(), ...head.parameters()];
  const src = randint(0, vocab, [batch, len]);
  const tgtIn = randint(0, vocab, [batch, len]);
  const tgtOut = randint(0, vocab, [batch * len]);
  const srcPad = paddingMask(batch, len);
  const tgtPad = paddingMask(batch, len);
  const embed = (ids: Tensor): Tensor => pos.forward(mul(emb.forward(ids), Math.sqrt(dModel)));
  return {
    name: 'Transformer encoder-decoder training step (nn.Transformer)',
    detail: `batch ${batch}, source and target length ${len}, d_model ${dModel}, ${heads} heads, ${layers}+${layers} layers, FFN ${4 * dModel}, dropout 0.1, vocabulary ${vocab} (tied embeddings), padding and causal masks, cross-entropy`,
    step: () => {
      zeroGrads(ps);
      const h = model.forward(embed(src), embed(tgtIn), {
        srcKeyPaddingMask: srcPad,
        tgtKeyPaddingMask: tgtPad,
        memoryKeyPaddingMask: srcPad,
        tgtIsCausal: true,
      });
      crossEntropy(reshape(head.forward(h), [batch * len, vocab]), tgtOut).backward();
    },
  };
}

/**
 * One CNN block trained on a batch of 32 (train mode: batch norms use batch statistics), loss the
 * mean of the squared output: the same blocks as torchvision's (bench/torch_bench.py builds them
 * from torchvision.models.resnet / densenet and an nn.Sequential for the separable block).
 */
function blockWorkload(name: string, detail: string, block: Module, input: number[]): Workload {
  const x = randn(input);
  const ps = block.parameters();
  block.train();
  return {
    name,
    detail,
    step: () => {
      zeroGrads(ps);
      const y = block.forward(x);
      mean(mul(y, y)).backward();
    },
  };
}

/** The CNN family blocks of docs/cnn.md, batch 32 on 16x16 maps. */
export function cnnBlockWorkloads(batch = 32): Workload[] {
  return [
    blockWorkload(
      'ResNet basic block training step',
      `batch ${batch}, 64 ch 16x16: conv3x3-BN-ReLU-conv3x3-BN + x, ReLU`,
      new BasicBlock(64, 64),
      [batch, 64, 16, 16],
    ),
    blockWorkload(
      'ResNet bottleneck block training step',
      `batch ${batch}, 256 ch 16x16: conv1x1(64)-BN-ReLU-conv3x3-BN-ReLU-conv1x1(256)-BN + x, ReLU`,
      new Bottleneck(256, 64),
      [batch, 256, 16, 16],
    ),
    blockWorkload(
      'DenseNet dense block training step',
      `batch ${batch}, 64 ch 16x16, 4 layers, k 32, bottleneck 128: BN-ReLU-conv1x1-BN-ReLU-conv3x3, concatenated`,
      new DenseBlock(4, 64, 32, 4, 0),
      [batch, 64, 16, 16],
    ),
    blockWorkload(
      'depthwise separable block training step',
      `batch ${batch}, 128 -> 256 ch 16x16: depthwise conv3x3-BN-ReLU, pointwise conv1x1-BN-ReLU`,
      depthwiseSeparable(128, 256),
      [batch, 128, 16, 16],
    ),
  ];
}

/** The training-step workloads by short name (for --profile). */
export const TRAINING_STEPS: Record<string, () => Workload> = {
  cnn: () => cnnWorkload(),
  lstm: () => lstmWorkload(),
  'lstm-module': () => lstmModuleWorkload(),
  'gru-module': () => gruModuleWorkload(),
  transformer: () => transformerWorkload(),
  attention: () => attentionWorkload(),
  'transformer-seq2seq': () => transformerSeq2seqWorkload(),
  'basic-block': () => cnnBlockWorkloads()[0]!,
  'bottleneck-block': () => cnnBlockWorkloads()[1]!,
  'dense-block': () => cnnBlockWorkloads()[2]!,
  'separable-block': () => cnnBlockWorkloads()[3]!,
};

export interface Timing {
  medianMs: number;
  minMs: number;
  reps: number;
}

/** Runs `step` a few times after warm-up, within a time budget; median and best time per step. */
export function timeIt(step: () => void, opts: { warmup?: number; minReps?: number; maxReps?: number; budgetMs?: number } = {}): Timing {
  const { warmup = 2, minReps = 3, maxReps = 50, budgetMs = 3000 } = opts;
  for (let i = 0; i < warmup; i++) step();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length < minReps || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, reps: times.length };
}
