// Walks the public API (issue 11): every op, layer constructor and optimizer rejects what it does not
// understand (an unknown option key, a positional value where an options object goes, a wrong
// type) with an error that names it, instead of ignoring it. A new export must be added to one of
// the tables below (or to the exempt list with its reason), so the walk stays complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as s from '../src/index.js';
import { Generator, compress, data, io, metrics, nn, optim, randn, tensor, type Tensor } from '../src/index.js';
import { decoding, seq2seq, vae, word2vec as w2v, resnet, densenet, mobilenet, cnn, gan, classifier } from '../src/models/index.js';

const x4 = (): Tensor => randn([1, 2, 4, 4]);
const x2 = (): Tensor => randn([3, 4]);
const i32 = (v: number[]): Tensor => tensor(v, { dtype: 'int32' });

const names =
  (name: string): ((e: unknown) => boolean) =>
  (e) =>
    e instanceof Error && e.message.startsWith(`${name}: `);

/** Ops that take an options object: a valid call with the options object (at its position) replaced by `o`. */
const optionCalls: Record<string, (o: unknown) => unknown> = {
  sum: (o) => s.sum(x2(), o as never),
  mean: (o) => s.mean(x2(), o as never),
  amax: (o) => s.amax(x2(), o as never),
  amin: (o) => s.amin(x2(), o as never),
  max: (o) => s.max(x2(), o as never),
  min: (o) => s.min(x2(), o as never),
  prod: (o) => s.prod(x2(), o as never),
  logsumexp: (o) => s.logsumexp(x2(), o as never),
  std: (o) => s.std(x2(), o as never),
  variance: (o) => s.variance(x2(), o as never),
  argmax: (o) => s.argmax(x2(), o as never),
  argmin: (o) => s.argmin(x2(), o as never),
  maxWithIndices: (o) => s.maxWithIndices(x2(), o as never),
  minWithIndices: (o) => s.minWithIndices(x2(), o as never),
  softmax: (o) => s.softmax(x2(), o as never),
  logSoftmax: (o) => s.logSoftmax(x2(), o as never),
  cumsum: (o) => s.cumsum(x2(), o as never),
  squeeze: (o) => s.squeeze(x2(), o as never),
  unsqueeze: (o) => s.unsqueeze(x2(), o as never),
  flatten: (o) => s.flatten(x2(), o as never),
  cat: (o) => s.cat([x2(), x2()], o as never),
  stack: (o) => s.stack([x2(), x2()], o as never),
  conv1d: (o) => s.conv1d(randn([1, 2, 5]), randn([3, 2, 3]), null, o as never),
  conv2d: (o) => s.conv2d(x4(), randn([3, 2, 3, 3]), null, o as never),
  convTranspose2d: (o) => s.convTranspose2d(x4(), randn([2, 3, 3, 3]), null, o as never),
  conv2dWeightGrad: (o) => s.conv2dWeightGrad(x4(), [3, 2, 3, 3], randn([1, 3, 2, 2]), o as never),
  maxPool1d: (o) => s.maxPool1d(randn([1, 2, 6]), o as never),
  maxPool2d: (o) => s.maxPool2d(x4(), o as never),
  avgPool1d: (o) => s.avgPool1d(randn([1, 2, 6]), o as never),
  avgPool2d: (o) => s.avgPool2d(x4(), o as never),
  adaptiveMaxPool2d: (o) => s.adaptiveMaxPool2d(x4(), 2, o as never),
  maxUnpool2d: (o) => {
    const { values, indices } = s.maxPool2d(x4(), { kernelSize: 2, returnIndices: true });
    return s.maxUnpool2d(values, indices, o as never);
  },
  l1Loss: (o) => s.l1Loss(x2(), x2(), o as never),
  mseLoss: (o) => s.mseLoss(x2(), x2(), o as never),
  huberLoss: (o) => s.huberLoss(x2(), x2(), o as never),
  smoothL1Loss: (o) => s.smoothL1Loss(x2(), x2(), o as never),
  klDiv: (o) => s.klDiv(x2(), x2(), o as never),
  binaryCrossEntropy: (o) => s.binaryCrossEntropy(s.sigmoid(x2()), s.sigmoid(x2()), o as never),
  binaryCrossEntropyWithLogits: (o) => s.binaryCrossEntropyWithLogits(x2(), s.sigmoid(x2()), o as never),
  nllLoss: (o) => s.nllLoss(s.logSoftmax(x2(), 1), i32([0, 1, 2]), o as never),
  crossEntropy: (o) => s.crossEntropy(x2(), i32([0, 1, 2]), o as never),
  hardtanh: (o) => s.hardtanh(x2(), o as never),
  round: (o) => s.round(x2(), o as never),
  softplus: (o) => s.softplus(x2(), o as never),
  gelu: (o) => s.gelu(x2(), o as never),
  dropout: (o) => s.dropout(x2(), 0.5, o as never),
  embedding: (o) => s.embedding(x2(), i32([0, 2]), o as never),
  indexAdd: (o) => s.indexAdd(x2(), 0, i32([0]), randn([1, 4]), o as never),
  pad: (o) => s.pad(x2(), [1, 1], o as never),
};

/** Options an op takes with a required key: the walk adds the unknown key beside them. */
const required: Record<string, Record<string, unknown>> = {
  maxPool1d: { kernelSize: 2 },
  maxPool2d: { kernelSize: 2 },
  avgPool1d: { kernelSize: 2 },
  avgPool2d: { kernelSize: 2 },
  maxUnpool2d: { kernelSize: 2 },
  softmax: { dim: 1 },
  logSoftmax: { dim: 1 },
  cumsum: { dim: 1 },
  unsqueeze: { dim: 1 },
  maxWithIndices: { dim: 1 },
  minWithIndices: { dim: 1 },
};

test('every op that takes options runs with valid ones and rejects an unknown key, naming op and key', () => {
  for (const [name, call] of Object.entries(optionCalls)) {
    const base = required[name] ?? {};
    call(base);
    assert.throws(
      () => call({ ...base, bogusKey: 1 }),
      (e: unknown) => names(name)(e) && (e as Error).message.includes("'bogusKey'"),
      name,
    );
  }
});

test('every op that takes options rejects a string where the options object goes, naming the op', () => {
  for (const [name, call] of Object.entries(optionCalls)) {
    if (name === 'pad') continue; // pad(x, widths, 'reflect'): a mode string is its short form
    assert.throws(() => call('2'), names(name), name);
  }
});

/** Exports that are not ops on tensors, or take no tensor first (each with its reason). */
const notTensorFirst = new Set([
  'Tensor',
  'Generator',
  'Node', // classes
  'tensor',
  'scalar',
  'zeros',
  'ones',
  'full',
  'eye',
  'arange',
  'linspace',
  'rand',
  'randn',
  'randint',
  'bernoulli',
  'multinomial', // creation: sizes (the robust helper owns these)
  'zerosLike',
  'onesLike',
  'fullLike',
  'randLike',
  'randnLike', // creation from a template
  'manualSeed',
  'defaultGenerator',
  'setNumThreads',
  'getNumThreads',
  'setKernelVariant',
  'getKernelVariant', // settings
  'noGrad',
  'enableGrad',
  'isGradEnabled',
  'setGradEnabled',
  'grad',
  'backward',
  'gradcheck',
  'gradgradcheck', // autograd entry points
  'listOps',
  'opInfo',
  'isFloat',
  'promoteTypes',
  'broadcastShapes',
  'shapeArgs',
  'reducedShape',
  'adaptiveOutputSize', // metadata helpers
  'checkRange',
  'checkScatterShapes',
  'vectorIndex', // index helpers
  'cat',
  'stack', // take a list (walked with the option ops)
  'where', // condition first: checked by its own test
  'registerBackend',
  'listBackends',
  'findBackend',
  'setBackend',
  'getBackend', // the backend registry: names, not tensors
  'hardtanhNamed',
  'activationBackward', // internal helpers: their first argument is the op name they report
]);

test('every public op names itself when its first argument is not a tensor', () => {
  const missed: string[] = [];
  for (const [name, fn] of Object.entries(s)) {
    if (typeof fn !== 'function' || notTensorFirst.has(name)) continue;
    try {
      (fn as (...a: unknown[]) => unknown)([1, 2], 0, 0, 0);
      missed.push(`${name} (no error)`);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith(`${name}: `)) missed.push(`${name} (${(e as Error).message})`);
    }
  }
  assert.deepEqual(missed, []);
});

test('every public op accepts its dims positionally and named, with the same result', () => {
  const x = randn([3, 4, 5]);
  const same = (a: Tensor, b: Tensor, what: string): void => assert.deepEqual(a.toList(), b.toList(), what);
  for (const op of ['sum', 'mean', 'amax', 'amin', 'prod', 'logsumexp', 'std', 'variance'] as const) {
    const f = s[op] as (x: Tensor, ...a: unknown[]) => Tensor;
    same(f(x, 1), f(x, { dim: 1 }), `${op}(x, 1)`);
    same(f(x, [0, 2], true), f(x, { dim: [0, 2], keepdim: true }), `${op}(x, [0, 2], true)`);
    assert.deepEqual(f(x, 1).shape, [3, 5], `${op}(x, 1).shape`);
  }
  for (const op of ['max', 'min', 'argmax', 'argmin'] as const) {
    const f = s[op] as (x: Tensor, ...a: unknown[]) => Tensor;
    same(f(x, 1, true), f(x, { dim: 1, keepdim: true }), `${op}(x, 1, true)`);
    assert.deepEqual(f(x, 1).shape, [3, 5], `${op}(x, 1).shape`);
  }
  for (const op of ['softmax', 'logSoftmax', 'cumsum'] as const) same(s[op](x, 1), s[op](x, { dim: 1 }), `${op}(x, 1)`);
  same(s.variance(x, 1, { correction: 0 }), s.variance(x, { dim: 1, correction: 0 }), 'variance(x, 1, {correction})');
  assert.deepEqual(x.sum(1).shape, [3, 5]);
  assert.deepEqual(x.max(1).shape, [3, 5]);
  assert.deepEqual(x.var(2, true).shape, [3, 4, 1]);
  assert.deepEqual(s.squeeze(randn([2, 1]), { dim: 1 }).shape, [2]);
  assert.deepEqual(s.unsqueeze(x, { dim: 0 }).shape, [1, 3, 4, 5]);
  assert.deepEqual(s.flatten(x, { startDim: 1 }).shape, [3, 20]);
  assert.deepEqual(s.cat([x, x], { dim: 2 }).shape, [3, 4, 10]);
  assert.deepEqual(s.stack([x, x], { dim: 1 }).shape, [3, 2, 4, 5]);
  assert.deepEqual(s.maxWithIndices(x, { dim: 2 }).indices.shape, [3, 4]);
});

/** Layer constructors: valid positional arguments, and whether an options object follows them. */
const layers: Record<string, { args: unknown[]; options: boolean }> = {
  Linear: { args: [3, 2], options: true },
  Bilinear: { args: [3, 2, 4], options: true },
  Embedding: { args: [5, 3], options: true },
  Conv1d: { args: [2, 3, 3], options: true },
  Conv2d: { args: [2, 3, 3], options: true },
  ConvTranspose2d: { args: [2, 3, 3], options: true },
  BatchNorm1d: { args: [4], options: true },
  BatchNorm2d: { args: [4], options: true },
  LayerNorm: { args: [4], options: true },
  GroupNorm: { args: [2, 4], options: true },
  InstanceNorm2d: { args: [4], options: true },
  MaxPool2d: { args: [2], options: true },
  MaxUnpool2d: { args: [2], options: true },
  AvgPool2d: { args: [2], options: true },
  AdaptiveAvgPool2d: { args: [2], options: false },
  RNN: { args: [3, 4], options: true },
  LSTM: { args: [3, 4], options: true },
  GRU: { args: [3, 4], options: true },
  RNNCell: { args: [3, 4], options: true },
  LSTMCell: { args: [3, 4], options: true },
  GRUCell: { args: [3, 4], options: true },
  AdditiveAttention: { args: [3, 4, 2], options: true },
  LuongAttention: { args: [3, 4], options: true },
  Softmax: { args: [1], options: false },
  LogSoftmax: { args: [1], options: false },
  Flatten: { args: [], options: false },
  Unflatten: { args: [1, [2, 2]], options: false },
  Dropout: { args: [], options: false },
  LeakyReLU: { args: [], options: false },
  ELU: { args: [], options: false },
  GELU: { args: [], options: false },
  Softplus: { args: [], options: false },
  Hardtanh: { args: [], options: false },
  ReLU: { args: [], options: false },
  ReLU6: { args: [], options: false },
  Sigmoid: { args: [], options: false },
  Tanh: { args: [], options: false },
  SiLU: { args: [], options: false },
  Identity: { args: [], options: false },
  MultiheadAttention: { args: [8, 2], options: true },
  TransformerEncoderLayer: { args: [8, 2], options: true },
  TransformerDecoderLayer: { args: [8, 2], options: true },
  TransformerEncoder: { args: [new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 8 }), 2], options: true },
  TransformerDecoder: { args: [new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 8 }), 2], options: true },
  Transformer: { args: [], options: true },
  PositionalEncoding: { args: [8], options: true },
  LearnedPositionalEmbedding: { args: [10, 8], options: true },
  TransformerDecoderCache: { args: [2], options: false },
};
const notLayers = new Set([
  'Module',
  'Parameter',
  'Sequential',
  'ModuleList',
  'ModuleDict',
  'functional',
  'init',
  'summary',
  'formatSummary',
  'fuseConvBn',
  'tieWeights',
  'paddingMask',
]); // bases, containers, and the functions walked below

test('every nn constructor builds from valid arguments and rejects bad ones, naming nn.<Layer>', () => {
  const ctors = nn as unknown as Record<string, new (...a: unknown[]) => unknown>;
  for (const name of Object.keys(nn)) {
    if (notLayers.has(name)) continue;
    const entry = layers[name];
    assert.ok(entry, `nn.${name} is not walked: add it to the layers table`);
    const C = ctors[name]!;
    new C(...entry.args);
    const who = names(`nn.${name}`);
    if (entry.options) {
      assert.throws(
        () => new C(...entry.args, { bogusKey: 1 }),
        (e: unknown) => who(e) && (e as Error).message.includes("'bogusKey'"),
        name,
      );
      assert.throws(() => new C(...entry.args, 7), who, `${name}: a number where options go`);
      assert.throws(() => new C(...entry.args, {}, 7), who, `${name}: an argument after the options`);
    } else {
      assert.throws(() => new C(...entry.args, 1, 2, 3, 4), who, `${name}: extra arguments`);
    }
    if (entry.args.length) assert.throws(() => new C('x', ...entry.args.slice(1)), who, `${name}: a string first`);
  }
});

test('every optimizer and scheduler rejects unknown options and wrong arguments, naming optim.<Class>', () => {
  const params = (): Tensor[] => [randn([2], { requiresGrad: true })];
  const optimizers: Record<string, (p: unknown, o: unknown) => unknown> = {
    SGD: (p, o) => new optim.SGD(p as never, { lr: 0.1, ...(o as object) }),
    Adam: (p, o) => new optim.Adam(p as never, o as never),
    AdamW: (p, o) => new optim.AdamW(p as never, o as never),
    Adagrad: (p, o) => new optim.Adagrad(p as never, o as never),
    RMSprop: (p, o) => new optim.RMSprop(p as never, o as never),
  };
  for (const [name, make] of Object.entries(optimizers)) {
    make(params(), {});
    const who = names(`optim.${name}`);
    assert.throws(
      () => make(params(), { betas: [0.9, 0.99] }),
      (e: unknown) => who(e) && (e as Error).message.includes("'betas'"),
      name,
    );
    assert.throws(() => make(params(), { lr: '0.1' }), who, `${name}: a string lr`);
    assert.throws(() => make(new nn.Linear(2, 2), {}), who, `${name}: a module instead of its parameters`);
    assert.throws(
      () => make([{ params: params(), lrr: 0.1 }], {}),
      (e: unknown) => who(e) && (e as Error).message.includes("'lrr'"),
      `${name}: a group key`,
    );
  }
  assert.throws(() => new optim.SGD(params(), 0.1 as never), /optim\.SGD: argument 2 must be an options object with lr/);
  const opt = new optim.SGD(params(), { lr: 0.1 });
  const schedulers: Record<string, unknown[]> = {
    StepLR: [3],
    MultiStepLR: [[2, 4]],
    ExponentialLR: [0.9],
    CosineAnnealingLR: [10],
    LinearLR: [],
    LambdaLR: [(e: number) => 1 / (e + 1)],
  };
  for (const [name, args] of Object.entries(schedulers)) {
    const C = (optim as unknown as Record<string, new (...a: unknown[]) => unknown>)[name]!;
    new C(opt, ...args);
    assert.throws(() => new C({}, ...args), names(`optim.${name}`), `${name}: not an optimizer`);
    assert.throws(() => new C(opt, ...args, 1, 2, 3, 4), names(`optim.${name}`), `${name}: extra arguments`);
  }
  assert.throws(() => new optim.ReduceLROnPlateau(opt, { patiense: 3 } as never), /optim\.ReduceLROnPlateau: unknown option 'patiense'/);
});

// The rest of the public API (issue 11): data, io, metrics, nn.functional, the nn containers and rl.
// Each export has a valid call and calls that must fail naming it; a new export not listed here
// fails the walk.
/** Per export: a valid call, then bad calls (each must throw an error starting with `<name>: `). */
interface Walked {
  ok: () => unknown;
  bad: (() => unknown)[];
}
const anyFn = (f: unknown): ((...a: unknown[]) => unknown) => f as (...a: unknown[]) => unknown;
const anyCtor = (c: unknown): new (...a: unknown[]) => unknown => c as new (...a: unknown[]) => unknown;
const ds = (): InstanceType<typeof data.TensorDataset> => new data.TensorDataset(randn([4, 2]), i32([0, 1, 0, 1]));
const bogus = { bogusKey: 1 };
const verse = (text: string) => ({ book: 'Gen', chapter: 1, verse: 1, text });
const pair = () => ({ book: 'Gen', chapter: 1, verse: 1, es: 'Jesús lloró.', en: 'Jesus wept.' });

const dataWalk: Record<string, Walked> = {
  DataLoader: {
    ok: () => new data.DataLoader(ds(), { batchSize: 2 }),
    bad: [
      () => new data.DataLoader(ds(), { batchSize: 2, ...bogus } as never),
      () => new data.DataLoader(ds(), 2 as never),
      () => new data.DataLoader(ds(), { batchSize: '2' } as never),
      () => new data.DataLoader([1, 2] as never),
      () => new (anyCtor(data.DataLoader))(ds(), {}, 1),
    ],
  },
  MapDataset: {
    ok: () => new data.MapDataset(3, (i) => i),
    bad: [() => new data.MapDataset('3' as never, (i) => i), () => new data.MapDataset(3, 5 as never)],
  },
  Subset: {
    ok: () => new data.Subset(ds(), [0, 2]),
    bad: [() => new data.Subset(ds(), 2 as never), () => new data.Subset({} as never, [0])],
  },
  TensorDataset: { ok: ds, bad: [() => new data.TensorDataset([1, 2] as never)] },
  compose: { ok: () => data.compose(data.randomHorizontalFlip()), bad: [() => data.compose({} as never)] },
  defaultCollate: {
    ok: () => data.defaultCollate([1, 2]),
    bad: [() => data.defaultCollate(5 as never), () => anyFn(data.defaultCollate)([1], bogus)],
  },
  encodeIdx: {
    ok: () => data.encodeIdx({ dtype: 'uint8', shape: [2], data: [1, 2] }),
    bad: [() => data.encodeIdx(5 as never), () => data.encodeIdx({ dtype: 'uint9', shape: [1], data: [1] } as never)],
  },
  gatherRows: {
    ok: () => data.gatherRows(x2(), [0, 2]),
    bad: [() => data.gatherRows(x2(), 1 as never), () => data.gatherRows([1] as never, [0])],
  },
  normalize: {
    ok: () => data.normalize(0.5, 0.2),
    bad: [
      () => data.normalize('0.5' as never, 0.2),
      () => data.normalize(0.5, { std: 1 } as never),
      () => anyFn(data.normalize)(0.5, 0.2, bogus),
    ],
  },
  parseIdx: {
    ok: () => data.parseIdx(data.encodeIdx({ dtype: 'uint8', shape: [2], data: [1, 2] })),
    bad: [() => data.parseIdx([0, 0, 8, 1] as never), () => data.parseIdx(new Uint8Array(4), 5 as never)],
  },
  randomErasing: {
    ok: () => data.randomErasing({ p: 0.5 }),
    bad: [
      () => data.randomErasing({ ...bogus } as never),
      () => data.randomErasing(0.5 as never),
      () => data.randomErasing({ scale: [0.4, 0.1] }),
      () => anyFn(data.randomErasing)({}, bogus),
    ],
  },
  randomCrop: {
    ok: () => data.randomCrop(2, { padding: 1 }),
    bad: [() => data.randomCrop(2, { ...bogus } as never), () => data.randomCrop(2, 1 as never), () => data.randomCrop('2' as never)],
  },
  randomHorizontalFlip: {
    ok: () => data.randomHorizontalFlip(0.5),
    bad: [() => data.randomHorizontalFlip({ p: 0.5 } as never), () => anyFn(data.randomHorizontalFlip)(0.5, bogus)],
  },
  randomSplit: {
    ok: () => data.randomSplit(ds(), [2, 2]),
    bad: [
      () => data.randomSplit(ds(), 2 as never),
      () => data.randomSplit(ds(), [2, 2], 7 as never),
      () => data.randomSplit(5 as never, [1]),
    ],
  },
  randperm: { ok: () => data.randperm(4), bad: [() => data.randperm('4' as never), () => data.randperm(4, 7 as never)] },
  parseWesnothDialogue: {
    ok: () => data.parseWesnothDialogue('[message]\nspeaker=A\nmessage= _ "Hi"\n[/message]', { source: 'a.cfg' }),
    bad: [
      () => data.parseWesnothDialogue(5 as never),
      () => data.parseWesnothDialogue('', { ...bogus } as never),
      () => data.parseWesnothDialogue('', 'a.cfg' as never),
      () => anyFn(data.parseWesnothDialogue)('', {}, 1),
    ],
  },
  dialogueExamples: {
    ok: () => data.dialogueExamples([{ speaker: 'A', text: 'a', scene: 0, source: '' }], { contextTurns: 2 }),
    bad: [
      () => data.dialogueExamples('turns' as never),
      () => data.dialogueExamples([], { ...bogus } as never),
      () => data.dialogueExamples([], { contextTurns: 0 }),
      () => data.dialogueExamples([5] as never),
      () => anyFn(data.dialogueExamples)([], {}, 1),
    ],
  },
  osisToText: {
    ok: () => data.osisToText('<w>In</w> <w>the</w>'),
    bad: [() => data.osisToText(5 as never), () => anyFn(data.osisToText)('a', 1)],
  },
  parseDiathekeBook: {
    ok: () => data.parseDiathekeBook('Genesis 1:1: In the beginning.', 'Gen'),
    bad: [
      () => data.parseDiathekeBook(5 as never, 'Gen'),
      () => data.parseDiathekeBook('', 'Genesis'),
      () => anyFn(data.parseDiathekeBook)('', 'Gen', 1),
    ],
  },
  alignVerses: {
    ok: () => data.alignVerses([verse('a')], [verse('b')], { maxRatio: 2 }),
    bad: [
      () => data.alignVerses('x' as never, []),
      () => data.alignVerses([], [5] as never),
      () => data.alignVerses([], [], { ...bogus } as never),
      () => data.alignVerses([], [], { maxRatio: 0.5 }),
      () => anyFn(data.alignVerses)([], [], {}, 1),
    ],
  },
  splitPairsByBook: {
    ok: () => data.splitPairsByBook([pair()], { valid: ['Ruth'], test: ['Mark'] }),
    bad: [
      () => data.splitPairsByBook('x' as never, { valid: [], test: [] }),
      () => data.splitPairsByBook([], { valid: [], test: [], ...bogus } as never),
      () => data.splitPairsByBook([], { valid: 'Ruth', test: [] } as never),
      () => data.splitPairsByBook([], { valid: ['Ruth'], test: ['Ruth'] }),
      () => anyFn(data.splitPairsByBook)([], { valid: [], test: [] }, 1),
    ],
  },
  formatPairs: {
    ok: () => data.formatPairs([pair()]),
    bad: [() => data.formatPairs([5] as never), () => data.formatPairs([{ ...pair(), es: 'a\tb' }]), () => anyFn(data.formatPairs)([], 1)],
  },
  parsePairs: {
    ok: () => data.parsePairs('Gen\t1\t1\ta\tb\n'),
    bad: [
      () => data.parsePairs(5 as never),
      () => data.parsePairs('Gen\t1\n'),
      () => data.parsePairs('', 5 as never),
      () => anyFn(data.parsePairs)('', 'p', 1),
    ],
  },
  bpeWords: {
    ok: () => data.bpeWords('Y dijo Dios:'),
    bad: [() => data.bpeWords(['a'] as never), () => anyFn(data.bpeWords)('a', 1)],
  },
  BpeVocab: {
    ok: () => data.BpeVocab.learn(['la luz', 'la tierra'], { merges: 3 }),
    bad: [
      () => new data.BpeVocab('abc' as never, []),
      () => new data.BpeVocab(['<pad>', '<unk>', '<bos>', '<eos>'], [['a']] as never),
      () => new data.BpeVocab(['a', 'b'], []),
      () => new (anyCtor(data.BpeVocab))(['<pad>', '<unk>', '<bos>', '<eos>'], [], 1),
    ],
  },
  tokenizeDialogue: {
    ok: () => data.tokenizeDialogue('Hail!'),
    bad: [() => data.tokenizeDialogue(5 as never), () => anyFn(data.tokenizeDialogue)('a', bogus)],
  },
};

const st = (): Uint8Array => io.encodeSafetensors({ w: randn([2]) });
const ckpt = (): ReturnType<typeof io.packCheckpoint> => io.packCheckpoint({ model: { w: randn([2]) }, epoch: 1, step: 2 });
const ioWalk: Record<string, Walked> = {
  encodeSafetensors: {
    ok: st,
    bad: [
      () => io.encodeSafetensors(5 as never),
      () => io.encodeSafetensors({ w: randn([2]) }, 'meta' as never),
      () => anyFn(io.encodeSafetensors)({}, {}, {}, 1),
      () => io.encodeSafetensors({ w: randn([2]) }, {}, { ...bogus } as never),
      () => io.encodeSafetensors({ w: randn([2]) }, {}, { storage: { v: 'F16' } }),
    ],
  },
  f32ToF16Bits: {
    ok: () => io.f32ToF16Bits(1),
    bad: [() => io.f32ToF16Bits('1' as never), () => anyFn(io.f32ToF16Bits)(1, 2)],
  },
  f16BitsToNumber: {
    ok: () => io.f16BitsToNumber(0x3c00),
    bad: [() => io.f16BitsToNumber(70000), () => io.f16BitsToNumber(0.5), () => anyFn(io.f16BitsToNumber)(1, 2)],
  },
  f32ToBf16Bits: {
    ok: () => io.f32ToBf16Bits(1),
    bad: [() => io.f32ToBf16Bits(null as never), () => anyFn(io.f32ToBf16Bits)(1, 2)],
  },
  decodeSafetensors: {
    ok: () => io.decodeSafetensors(st()),
    bad: [() => io.decodeSafetensors('file' as never), () => io.decodeSafetensors(st(), 5 as never)],
  },
  packCheckpoint: {
    ok: ckpt,
    bad: [
      () => io.packCheckpoint({ model: {}, epoch: 1, step: 2, ...bogus } as never),
      () => io.packCheckpoint(5 as never),
      () => io.packCheckpoint({ model: {}, epoch: '1', step: 2 } as never),
    ],
  },
  unpackCheckpoint: {
    ok: () => io.unpackCheckpoint(ckpt()),
    bad: [
      () => io.unpackCheckpoint(5 as never),
      () => io.unpackCheckpoint({ ...ckpt(), ...bogus } as never),
      () => io.unpackCheckpoint(ckpt(), 5 as never),
    ],
  },
  imageGrid: {
    ok: () => io.imageGrid(randn([2, 1, 3, 3])),
    bad: [
      () => io.imageGrid(5 as never),
      () => io.imageGrid(randn([2, 1, 3, 3]), { ...bogus } as never),
      () => io.imageGrid(randn([2, 1, 3, 3]), { nrow: 0 }),
      () => anyFn(io.imageGrid)(randn([2, 1, 3, 3]), {}, 1),
    ],
  },
  encodePng: {
    ok: () => io.encodePng(io.imageGrid(randn([2, 1, 3, 3]))),
    bad: [
      () => io.encodePng(5 as never),
      () => io.encodePng({ width: 1, height: 1, channels: 2, data: new Uint8Array(2) } as never),
      () => anyFn(io.encodePng)(io.imageGrid(randn([1, 1, 2, 2])), 1),
    ],
  },
};

const scores = (): Tensor => randn([3, 4]);
const target = (): Tensor => i32([0, 1, 2]);
const metricsWalk: Record<string, Walked> = {
  corpusBleu: {
    ok: () => metrics.corpusBleu(['the cat sat'], [['the cat sat down']], { lowercase: true, maxOrder: 4 }),
    bad: [
      () => metrics.corpusBleu('a' as never, [['a']]),
      () => metrics.corpusBleu(['a'], ['a'] as never),
      () => metrics.corpusBleu(['a'], [['a', 'b']]),
      () => metrics.corpusBleu(['a'], [['a']], { ...bogus } as never),
      () => anyFn(metrics.corpusBleu)(['a'], [['a']], {}, 1),
    ],
  },
  tokenize13a: {
    ok: () => metrics.tokenize13a('He said: "no."'),
    bad: [() => metrics.tokenize13a(5 as never), () => anyFn(metrics.tokenize13a)('a', 1)],
  },
  accuracy: {
    ok: () => metrics.accuracy(scores(), target()),
    bad: [
      () => anyFn(metrics.accuracy)(scores(), target(), bogus),
      () => metrics.accuracy([1, 2] as never, target()),
      () => metrics.accuracy(scores(), [0, 1, 2] as never),
    ],
  },
  predictions: {
    ok: () => metrics.predictions(scores()),
    bad: [() => metrics.predictions([1] as never), () => anyFn(metrics.predictions)(scores(), bogus)],
  },
  confusionMatrix: {
    ok: () => metrics.confusionMatrix(scores(), target(), 4),
    bad: [
      () => metrics.confusionMatrix(scores(), target(), '4' as never),
      () => metrics.confusionMatrix(scores(), target(), { numClasses: 4 } as never),
    ],
  },
  addConfusion: {
    ok: () => metrics.addConfusion(metrics.confusionMatrix(scores(), target(), 4), metrics.confusionMatrix(scores(), target(), 4)),
    bad: [() => metrics.addConfusion(metrics.confusionMatrix(scores(), target(), 4), 5 as never)],
  },
  formatConfusionMatrix: {
    ok: () => metrics.formatConfusionMatrix(metrics.confusionMatrix(scores(), target(), 4)),
    bad: [
      () => metrics.formatConfusionMatrix(5 as never),
      () => metrics.formatConfusionMatrix(metrics.confusionMatrix(scores(), target(), 4), 'abcd' as never),
    ],
  },
  perplexity: {
    ok: () => metrics.perplexity([1, 2]),
    bad: [() => metrics.perplexity('2' as never), () => anyFn(metrics.perplexity)(2, bogus)],
  },
  distinctN: {
    ok: () =>
      metrics.distinctN(
        [
          ['a', 'b'],
          [1, 2],
        ],
        2,
      ),
    bad: [
      () => metrics.distinctN('ab' as never, 1),
      () => metrics.distinctN([['a', {}]] as never, 1),
      () => metrics.distinctN([['a']], 0),
      () => metrics.distinctN([['a']], '1' as never),
      () => anyFn(metrics.distinctN)([['a']], 1, bogus),
    ],
  },
  featureStatistics: {
    ok: () => metrics.featureStatistics(randn([4, 3])),
    bad: [
      () => metrics.featureStatistics([[1, 2]] as never),
      () => metrics.featureStatistics(randn([1, 3])),
      () => anyFn(metrics.featureStatistics)(randn([4, 3]), bogus),
    ],
  },
  frechetDistance: {
    ok: () => metrics.frechetDistance(metrics.featureStatistics(randn([4, 3])), metrics.featureStatistics(randn([5, 3]))),
    bad: [
      () => metrics.frechetDistance(metrics.featureStatistics(randn([4, 3])), { mean: [0] } as never),
      () =>
        metrics.frechetDistance(
          { ...metrics.featureStatistics(randn([4, 3])), ...bogus } as never,
          metrics.featureStatistics(randn([4, 3])),
        ),
      () => anyFn(metrics.frechetDistance)(metrics.featureStatistics(randn([4, 3])), metrics.featureStatistics(randn([4, 3])), 1),
    ],
  },
  symmetricEigen: {
    ok: () => metrics.symmetricEigen([2, 1, 1, 2], 2),
    bad: [
      () => metrics.symmetricEigen([2, 1, 1], 2),
      () => metrics.symmetricEigen([2, 1, 1, 2], '2' as never),
      () => anyFn(metrics.symmetricEigen)([2, 1, 1, 2], 2, 1),
    ],
  },
};

const img28 = (): Tensor => randn([2, 1, 28, 28]);
const ganWalk: Record<string, Walked> = {
  GanGenerator: {
    ok: () => new gan.GanGenerator('dcgan', { latent: 3, features: 2 }),
    bad: [
      () => new gan.GanGenerator('dcgan', { ...bogus } as never),
      () => new gan.GanGenerator('conv' as never),
      () => new gan.GanGenerator('fc', { latent: 0 }),
      () => new (anyCtor(gan.GanGenerator))('fc', {}, 1),
    ],
  },
  GanDiscriminator: {
    ok: () => new gan.GanDiscriminator('fc'),
    bad: [
      () => new gan.GanDiscriminator('fc', { negativeSlope: 2 }),
      () => new gan.GanDiscriminator('fc', { ...bogus } as never),
      () => new (anyCtor(gan.GanDiscriminator))('fc', {}, 1),
    ],
  },
  discriminatorLoss: {
    ok: () => gan.discriminatorLoss(randn([3]), randn([3])),
    bad: [() => gan.discriminatorLoss([1] as never, randn([3])), () => anyFn(gan.discriminatorLoss)(randn([3]), randn([3]), 1)],
  },
  generatorLoss: {
    ok: () => gan.generatorLoss(randn([3]), 'minimax'),
    bad: [
      () => gan.generatorLoss(randn([3]), 'wgan' as never),
      () => gan.generatorLoss(5 as never),
      () => anyFn(gan.generatorLoss)(randn([3]), 'minimax', 1),
    ],
  },
  toTanhRange: {
    ok: () => gan.toTanhRange(img28()),
    bad: [() => gan.toTanhRange([1] as never), () => anyFn(gan.toTanhRange)(img28(), 1)],
  },
  generate: {
    ok: () => gan.generate(new gan.GanGenerator('fc', { latent: 3 }), randn([2, 3])),
    bad: [
      () => gan.generate({} as never, randn([2, 3])),
      () => gan.generate(new gan.GanGenerator('fc', { latent: 3 }), [1] as never),
      () => anyFn(gan.generate)(new gan.GanGenerator('fc', { latent: 3 }), randn([2, 3]), 1),
    ],
  },
  classifierFeatures: {
    ok: () => gan.classifierFeatures(classifier.mlp(), img28()),
    bad: [
      () => gan.classifierFeatures(5 as never, img28()),
      () => gan.classifierFeatures(classifier.mlp(), randn([2, 28, 28])),
      () => anyFn(gan.classifierFeatures)(classifier.mlp(), img28(), 1),
    ],
  },
  classCoverage: {
    ok: () => gan.classCoverage(Int32Array.from([0, 1]), 2),
    bad: [
      () => gan.classCoverage([0, 1] as never, 2),
      () => gan.classCoverage(Int32Array.from([0, 1]), 0),
      () => anyFn(gan.classCoverage)(Int32Array.from([0, 1]), 2, 1),
    ],
  },
  sampleQuality: {
    ok: () => gan.sampleQuality(classifier.mlp(), img28(), metrics.featureStatistics(randn([4, 128]))),
    bad: [
      () => gan.sampleQuality(classifier.mlp(), randn([2, 1, 5, 5]), metrics.featureStatistics(randn([4, 128]))),
      () => gan.sampleQuality(classifier.mlp(), img28(), { dim: 3 } as never),
      () => anyFn(gan.sampleQuality)(classifier.mlp(), img28(), metrics.featureStatistics(randn([4, 128])), 1),
    ],
  },
  sampleGenerator: {
    ok: () => gan.sampleGenerator(new gan.GanGenerator('fc', { latent: 3 }), { count: 2 }),
    bad: [
      () => gan.sampleGenerator(new gan.GanGenerator('fc', { latent: 3 }), { ...bogus } as never),
      () => gan.sampleGenerator(new gan.GanGenerator('fc', { latent: 3 }), { count: 0 }),
      () => anyFn(gan.sampleGenerator)(new gan.GanGenerator('fc', { latent: 3 }), {}, 1),
    ],
  },
};

// The shared decoding module of the zoo (shinsou/models `decoding`).
const toyStep = {
  step: (tokens: Int32Array, h: Tensor) => ({ logits: randn([tokens.length, 5]), state: h }),
  reorder: (h: Tensor) => h,
};
const decodingWalk: Record<string, Walked> = {
  argmaxToken: {
    ok: () => decoding.argmaxToken([1, 3, 2], { exclude: [1] }),
    bad: [
      () => decoding.argmaxToken('13' as never),
      () => decoding.argmaxToken([1, 2], { ...bogus } as never),
      () => decoding.argmaxToken([1, 2], { exclude: 'a' } as never),
      () => anyFn(decoding.argmaxToken)([1], {}, 1),
    ],
  },
  sampleToken: {
    ok: () => decoding.sampleToken([1, 3, 2], new Generator(0), { temperature: 0.5, topK: 2 }),
    bad: [
      () => decoding.sampleToken([], new Generator(0)),
      () => decoding.sampleToken([1, 2], 0 as never),
      () => decoding.sampleToken([1, 2], new Generator(0), { ...bogus } as never),
      () => decoding.sampleToken([1, 2], new Generator(0), { topK: -1 }),
      () => decoding.sampleToken([1, 2], new Generator(0), { temperature: -1 }),
      () => anyFn(decoding.sampleToken)([1], new Generator(0), {}, 1),
    ],
  },
  decode: {
    ok: () => decoding.decode(toyStep, randn([2, 3]), 2, { maxLength: 3, bos: 0, eos: 1, method: 'beam' }),
    bad: [
      () => decoding.decode(null as never, randn([2, 3]), 2, { maxLength: 3, bos: 0 }),
      () => decoding.decode(toyStep, randn([2, 3]), 2, { maxLength: 3, bos: 0, ...bogus } as never),
      () => decoding.decode(toyStep, randn([2, 3]), 2, { maxLength: 3, bos: 0, method: 'topp' } as never),
      () => decoding.decode(toyStep, randn([2, 3]), '2' as never, { maxLength: 3, bos: 0 }),
      () => decoding.decode(toyStep, randn([2, 3]), 2, undefined as never),
      () => decoding.decode(toyStep, randn([2, 3]), 2, { maxLength: 3, bos: 0, generator: 1 } as never),
      () => anyFn(decoding.decode)(toyStep, randn([2, 3]), 2, { maxLength: 3, bos: 0 }, 1),
    ],
  },
};

const F = nn.functional;
const functionalWalk: Record<string, Walked> = {
  batchNorm: {
    ok: () => F.batchNorm(x4(), null, null, null, null, { training: true }),
    bad: [
      () => F.batchNorm(x4(), null, null, null, null, { ...bogus } as never),
      () => F.batchNorm(x4(), null, null, null, null, true as never),
      () => F.batchNorm(x4(), 5 as never, null, null, null),
    ],
  },
  layerNorm: {
    ok: () => F.layerNorm(x2(), [4]),
    bad: [
      () => F.layerNorm(x2(), 4 as never),
      () => F.layerNorm(x2(), [4], null, null, { eps: 1 } as never),
      () => F.layerNorm([1] as never, [4]),
    ],
  },
  groupNorm: {
    ok: () => F.groupNorm(x4(), 2),
    bad: [
      () => F.groupNorm(x4(), '2' as never),
      () => F.groupNorm(x4(), 2, { weight: null } as never),
      () => anyFn(F.groupNorm)(x4(), 2, null, null, 1e-5, 1),
    ],
  },
  instanceNorm: {
    ok: () => F.instanceNorm(x4()),
    bad: [() => F.instanceNorm(x4(), 5 as never), () => F.instanceNorm(x4(), null, null, '1e-5' as never)],
  },
  scaledDotProductAttention: {
    ok: () => F.scaledDotProductAttention(randn([2, 3, 4]), randn([2, 5, 4]), randn([2, 5, 2]), { isCausal: true }),
    bad: [
      () => F.scaledDotProductAttention(randn([2, 3, 4]), randn([2, 5, 4]), randn([2, 5, 2]), { ...bogus } as never),
      () => F.scaledDotProductAttention(randn([2, 3, 4]), randn([2, 5, 4]), randn([2, 5, 2]), { isCausal: 1 } as never),
      () => F.scaledDotProductAttention(randn([2, 3, 4]), randn([2, 5, 4]), randn([2, 5, 2]), { attnMask: [[true]] } as never),
      () => F.scaledDotProductAttention(randn([2, 3, 4]), randn([2, 5, 4]), randn([2, 5, 2]), true as never),
      () => F.scaledDotProductAttention([1] as never, randn([2, 5, 4]), randn([2, 5, 2])),
      () => anyFn(F.scaledDotProductAttention)(randn([2, 3, 4]), randn([2, 5, 4]), randn([2, 5, 2]), {}, 1),
    ],
  },
};

const containersWalk: Record<string, Walked> = {
  Sequential: {
    ok: () => new nn.Sequential(new nn.ReLU(), new nn.Tanh()),
    bad: [
      () => new nn.Sequential(5 as never),
      () => new nn.Sequential([new nn.ReLU()] as never),
      () => new nn.Sequential(new nn.ReLU(), {} as never),
    ],
  },
  ModuleList: {
    ok: () => new nn.ModuleList([new nn.ReLU()]),
    bad: [
      () => new nn.ModuleList(5 as never),
      () => new nn.ModuleList([5] as never),
      () => new nn.ModuleList(new nn.ReLU() as never),
      () => new (anyCtor(nn.ModuleList))([], 1),
    ],
  },
  ModuleDict: {
    ok: () => new nn.ModuleDict({ act: new nn.ReLU() }),
    bad: [
      () => new nn.ModuleDict(5 as never),
      () => new nn.ModuleDict({ act: 5 } as never),
      () => new nn.ModuleDict([new nn.ReLU()] as never),
    ],
  },
};

const { rl } = s;
const grid = (): InstanceType<typeof rl.GridWorld> => new rl.GridWorld();
const mdp4 = (): ReturnType<InstanceType<typeof rl.GridWorld>['mdp']> => grid().mdp();
const envCtor = (C: unknown): Walked => ({
  ok: () => new (anyCtor(C))({ seed: 1 }),
  bad: [
    () => new (anyCtor(C))({ ...bogus }),
    () => new (anyCtor(C))({ seed: '1' }),
    () => new (anyCtor(C))({}, 1),
    () => new (anyCtor(C))({ maxEpisodeSteps: 0 }),
  ],
});
const theta6 = (): Float64Array => new Float64Array(grid().nStates * 4);
const rlWalk: Record<string, Walked> = {
  Discrete: {
    ok: () => new rl.Discrete(2),
    bad: [() => new rl.Discrete(0), () => new rl.Discrete('2' as never), () => new (anyCtor(rl.Discrete))(2, 3)],
  },
  Box: {
    ok: () => new rl.Box([0], [1]),
    bad: [
      () => new rl.Box('a' as never, 1),
      () => new rl.Box([1], [0]),
      () => new rl.Box(0, 1, 3 as never),
      () => new (anyCtor(rl.Box))(0, 1, [1], 4),
    ],
  },
  VectorEnv: {
    ok: () => new rl.VectorEnv(() => new rl.CartPole(), 2),
    bad: [
      () => new rl.VectorEnv(5 as never, 2),
      () => new rl.VectorEnv(() => new rl.CartPole(), 0),
      () => new rl.VectorEnv(() => new rl.CartPole(), 2, { ...bogus } as never),
      () => new (anyCtor(rl.VectorEnv))(() => new rl.CartPole(), 2, {}, 1),
    ],
  },
  CartPole: envCtor(rl.CartPole),
  MountainCar: envCtor(rl.MountainCar),
  Acrobot: envCtor(rl.Acrobot),
  Pendulum: envCtor(rl.Pendulum),
  GridWorld: {
    ok: () => grid(),
    bad: [
      () => new rl.GridWorld({ ...bogus } as never),
      () => new rl.GridWorld({ slip: 2 }),
      () => new rl.GridWorld({ layout: 'S.G' as never }),
      () => new (anyCtor(rl.GridWorld))({}, 1),
    ],
  },
  BoardGameEnv: {
    ok: () => rl.ticTacToeEnv(),
    bad: [
      () => new rl.BoardGameEnv({ ...bogus } as never),
      () => new rl.BoardGameEnv(5 as never),
      () => new (anyCtor(rl.BoardGameEnv))({}, 1),
    ],
  },
  ticTacToeEnv: {
    ok: () => rl.ticTacToeEnv({ opponent: 'random' }),
    bad: [() => rl.ticTacToeEnv({ ...bogus } as never), () => rl.ticTacToeEnv({ seed: 'x' } as never), () => anyFn(rl.ticTacToeEnv)({}, 1)],
  },
  goEnv: {
    ok: () => rl.goEnv({ size: 5 }),
    bad: [() => rl.goEnv({ ...bogus } as never), () => rl.goEnv({ size: 'x' } as never), () => anyFn(rl.goEnv)({}, 1)],
  },
  makeEnv: {
    ok: () => rl.makeEnv('CartPole-v1'),
    bad: [() => rl.makeEnv('Nope'), () => rl.makeEnv(5 as never), () => anyFn(rl.makeEnv)('CartPole-v1', {}, 1)],
  },
  envIds: { ok: () => rl.envIds(), bad: [() => anyFn(rl.envIds)(1)] },
  expectedRewards: {
    ok: () => rl.expectedRewards(mdp4()),
    bad: [() => rl.expectedRewards(5 as never), () => anyFn(rl.expectedRewards)(mdp4(), 1)],
  },
  valueIteration: {
    ok: () => rl.valueIteration(mdp4()),
    bad: [
      () => rl.valueIteration(mdp4(), { ...bogus } as never),
      () => rl.valueIteration(mdp4(), { gamma: '1' } as never),
      () => anyFn(rl.valueIteration)(mdp4(), {}, 1),
    ],
  },
  policyEvaluation: {
    ok: () => rl.policyEvaluation(mdp4(), new Int32Array(11)),
    bad: [
      () => rl.policyEvaluation(mdp4(), new Int32Array(11), { ...bogus } as never),
      () => rl.policyEvaluation(mdp4(), [0] as never),
      () => anyFn(rl.policyEvaluation)(mdp4(), new Int32Array(11), {}, 1),
    ],
  },
  actionValues: {
    ok: () => rl.actionValues(mdp4(), new Float64Array(11), 0.9),
    bad: [
      () => rl.actionValues(mdp4(), [0] as never, 0.9),
      () => rl.actionValues(mdp4(), new Float64Array(11), '1' as never),
      () => anyFn(rl.actionValues)(mdp4(), new Float64Array(11), 0.9, 1),
    ],
  },
  greedyPolicy: {
    ok: () => rl.greedyPolicy(new Float64Array(8), 4),
    bad: [
      () => rl.greedyPolicy([1] as never, 4),
      () => rl.greedyPolicy(new Float64Array(8), 3),
      () => anyFn(rl.greedyPolicy)(new Float64Array(8), 4, 0, 1),
    ],
  },
  qLearning: {
    ok: () => rl.qLearning(grid(), { episodes: 2 }),
    bad: [
      () => rl.qLearning(grid(), { episodes: 2, ...bogus } as never),
      () => rl.qLearning(grid(), { episodes: '2' } as never),
      () => anyFn(rl.qLearning)(grid(), { episodes: 2 }, 1),
    ],
  },
  sarsa: {
    ok: () => rl.sarsa(grid(), { episodes: 2 }),
    bad: [
      () => rl.sarsa(grid(), { episodes: 2, ...bogus } as never),
      () => rl.sarsa(rl.makeEnv('CartPole-v1') as never, { episodes: 2 }),
      () => anyFn(rl.sarsa)(grid(), { episodes: 2 }, 1),
    ],
  },
  exploreAction: {
    ok: () => rl.exploreAction(new Float64Array(4), 0, 4, { kind: 'softmax', temperature: 1 }, 1, new s.Generator(1)),
    bad: [
      () => rl.exploreAction(new Float64Array(4), 2, 4, { kind: 'softmax', temperature: 1 }, 1, new s.Generator(1)),
      () => rl.exploreAction(new Float64Array(4), 0, 4, { kind: 'greedy' } as never, 1, new s.Generator(1)),
      () => anyFn(rl.exploreAction)(new Float64Array(4), 0, 4, { kind: 'softmax', temperature: 1 }, 1, new s.Generator(1), 1),
    ],
  },
  softmaxPolicy: {
    ok: () => rl.softmaxPolicy(new Float64Array(4), 2),
    bad: [() => rl.softmaxPolicy([1] as never, 2), () => anyFn(rl.softmaxPolicy)(new Float64Array(4), 2, 1)],
  },
  exactPolicyGradient: {
    ok: () => rl.exactPolicyGradient(mdp4(), theta6()),
    bad: [
      () => rl.exactPolicyGradient(mdp4(), theta6(), { ...bogus } as never),
      () => rl.exactPolicyGradient(mdp4(), new Float64Array(3)),
      () => anyFn(rl.exactPolicyGradient)(mdp4(), theta6(), {}, 1),
    ],
  },
  reinforceEstimate: {
    ok: () => rl.reinforceEstimate(mdp4(), theta6(), new s.Generator(1), { episodes: 2 }),
    bad: [
      () => rl.reinforceEstimate(mdp4(), theta6(), new s.Generator(1), { episodes: 2, ...bogus } as never),
      () => rl.reinforceEstimate(mdp4(), theta6(), 5 as never, { episodes: 2 }),
      () => anyFn(rl.reinforceEstimate)(mdp4(), theta6(), new s.Generator(1), { episodes: 2 }, 1),
    ],
  },
  playEpisodes: {
    ok: () => rl.playEpisodes(grid()),
    bad: [
      () => rl.playEpisodes(grid(), { ...bogus } as never),
      () => rl.playEpisodes(grid(), { policy: 'smart' } as never),
      () => anyFn(rl.playEpisodes)(grid(), {}, 1),
    ],
  },
  framesToSvg: {
    ok: () => rl.framesToSvg(['a', 'b']),
    bad: [
      () => rl.framesToSvg([] as never),
      () => rl.framesToSvg(['a'], { ...bogus } as never),
      () => rl.framesToSvg(['a'], { fps: 0 }),
      () => anyFn(rl.framesToSvg)(['a'], {}, 1),
    ],
  },
  randomPolicy: {
    ok: () => rl.randomPolicy(grid()),
    bad: [() => rl.randomPolicy(grid(), 1.5), () => anyFn(rl.randomPolicy)(grid(), 1, 2)],
  },
  heuristicPolicy: {
    ok: () => rl.heuristicPolicy(grid()),
    bad: [() => rl.heuristicPolicy(rl.makeEnv('Pendulum-v1')), () => anyFn(rl.heuristicPolicy)(grid(), 1)],
  },
};

const imgs = (): Tensor => randn([2, 1, 28, 28]).sigmoid();
const vaeOut = (): vae.VAEOutput => new vae.VAE({ latent: 2, hidden: 4 }).forward(imgs());
const vaeWalk: Record<string, Walked> = {
  Autoencoder: {
    ok: () => new vae.Autoencoder({ latent: 2, hidden: 4 }).forward(imgs()),
    bad: [
      () => new vae.Autoencoder({ ...bogus } as never),
      () => new vae.Autoencoder({ arch: 'mlp' } as never),
      () => new vae.Autoencoder(2 as never),
      () => new (anyCtor(vae.Autoencoder))({}, 1),
    ],
  },
  VAE: {
    ok: () => vaeOut(),
    bad: [
      () => new vae.VAE({ ...bogus } as never),
      () => new vae.VAE({ latent: 0 }),
      () => new vae.VAE({ generator: 1 } as never),
      () => new (anyCtor(vae.VAE))({}, 1),
    ],
  },
  vaeLoss: {
    ok: () => vae.vaeLoss(vaeOut(), imgs(), { decoder: 'gaussian' }),
    bad: [
      () => vae.vaeLoss(vaeOut(), imgs(), bogus as never),
      () => vae.vaeLoss(5 as never, imgs()),
      () => vae.vaeLoss(vaeOut(), [1] as never),
      () => anyFn(vae.vaeLoss)(vaeOut(), imgs(), {}, 1),
    ],
  },
  gaussianKl: {
    ok: () => vae.gaussianKl(x2(), x2()),
    bad: [() => vae.gaussianKl(x2(), randn([3, 5])), () => vae.gaussianKl(x2(), 1 as never), () => anyFn(vae.gaussianKl)(x2(), x2(), {})],
  },
  reconstructionNll: {
    ok: () => vae.reconstructionNll(imgs(), imgs(), { decoder: 'bernoulli' }),
    bad: [
      () => vae.reconstructionNll(imgs(), imgs(), bogus as never),
      () => vae.reconstructionNll(imgs(), imgs(), { decoderStd: -1 }),
      () => vae.reconstructionNll(imgs(), x2()),
      () => anyFn(vae.reconstructionNll)(imgs(), imgs(), {}, 1),
    ],
  },
  buildVaeModel: {
    ok: () => vae.buildVaeModel('conv-vae', { latent: 2 }),
    bad: [
      () => vae.buildVaeModel('gan' as never),
      () => vae.buildVaeModel('vae', bogus as never),
      () => vae.buildVaeModel('vae', { latent: 1.5 }),
      () => vae.buildVaeModel('vae', {}, 3 as never),
      () => anyFn(vae.buildVaeModel)('vae', {}, undefined, 1),
    ],
  },
};

function walk(namespace: string, exports: object, table: Record<string, Walked>, prefix: string, skip: readonly string[] = []): void {
  const missed: string[] = [];
  for (const [name, v] of Object.entries(exports)) {
    if (typeof v !== 'function' || skip.includes(name)) continue;
    const entry = table[name];
    if (!entry) {
      missed.push(`${namespace}.${name} is not walked: add it to the table`);
      continue;
    }
    entry.ok();
    entry.bad.forEach((call, i) => {
      try {
        call();
        missed.push(`${namespace}.${name}: bad call ${i + 1} was accepted`);
      } catch (e) {
        if (!names(`${prefix}${name}`)(e)) missed.push(`${namespace}.${name}: bad call ${i + 1}: ${(e as Error).message}`);
      }
    });
  }
  assert.deepEqual(missed, []);
}

test('every data export rejects unknown options, wrong types and extra arguments, naming itself', () => {
  walk('data', data, dataWalk, '');
});

const cnnModel = (): ReturnType<typeof classifier.cnn> => classifier.cnn();
const calib = (): Tensor => randn([4, 1, 28, 28]);
const qgrid = { scale: 0.1, zeroPoint: 0, qmin: 0, qmax: 127 };
const compressQuantWalk: Record<string, Walked> = {
  activationGrid: {
    ok: () => compress.activationGrid('full'),
    bad: [() => compress.activationGrid('half' as never), () => anyFn(compress.activationGrid)('full', 1)],
  },
  affineParams: {
    ok: () => compress.affineParams(-1, 1, -128, 127),
    bad: [
      () => compress.affineParams('0' as never, 1, 0, 127),
      () => compress.affineParams(1, 0, 0, 127),
      () => anyFn(compress.affineParams)(0, 1, 0, 127, 5),
    ],
  },
  quantizeValue: {
    ok: () => compress.quantizeValue(0.5, qgrid),
    bad: [
      () => compress.quantizeValue(0.5, { ...qgrid, scale: 0 }),
      () => compress.quantizeValue('x' as never, qgrid),
      () => anyFn(compress.quantizeValue)(1, qgrid, 2),
    ],
  },
  quantizeWeight: {
    ok: () => compress.quantizeWeight(randn([3, 2])),
    bad: [
      () => compress.quantizeWeight([1] as never),
      () => compress.quantizeWeight(randn([3, 2]), { ...bogus } as never),
      () => anyFn(compress.quantizeWeight)(randn([2]), {}, 1),
    ],
  },
  dequantizeWeight: {
    ok: () => compress.dequantizeWeight(compress.quantizeWeight(randn([3, 2]))),
    bad: [() => compress.dequantizeWeight({} as never), () => anyFn(compress.dequantizeWeight)(compress.quantizeWeight(randn([2])), 1)],
  },
  RangeObserver: {
    ok: () => new compress.RangeObserver('mse', 99),
    bad: [
      () => new compress.RangeObserver('max' as never),
      () => new compress.RangeObserver('percentile', 20),
      () => new (anyCtor(compress.RangeObserver))('mse', 99, 1),
    ],
  },
  inferenceGraph: {
    ok: () => compress.inferenceGraph(cnnModel()),
    bad: [
      () => compress.inferenceGraph(5 as never),
      () => compress.inferenceGraph(new nn.LSTM(2, 2) as never),
      () => anyFn(compress.inferenceGraph)(cnnModel(), 1),
    ],
  },
  runGraph: {
    ok: () => compress.runGraph(compress.inferenceGraph(cnnModel()), calib()),
    bad: [
      () => compress.runGraph({} as never, calib()),
      () => compress.runGraph(compress.inferenceGraph(cnnModel()), calib(), { ...bogus } as never),
      () => anyFn(compress.runGraph)(compress.inferenceGraph(cnnModel()), calib(), {}, 1),
    ],
  },
  quantizeModel: {
    ok: () => compress.quantizeModel(cnnModel(), calib()),
    bad: [
      () => compress.quantizeModel(cnnModel(), [1] as never),
      () => compress.quantizeModel(cnnModel(), calib(), { method: 'max' as never }),
      () => compress.quantizeModel(cnnModel(), calib(), { ...bogus } as never),
      () => anyFn(compress.quantizeModel)(cnnModel(), calib(), {}, 1),
    ],
  },
  encodeQuantized: {
    ok: () => compress.encodeQuantized(compress.quantizeModel(cnnModel(), calib())),
    bad: [
      () => compress.encodeQuantized({} as never),
      () => compress.encodeQuantized(compress.quantizeModel(cnnModel(), calib()), 'm' as never),
      () => anyFn(compress.encodeQuantized)(compress.quantizeModel(cnnModel(), calib()), {}, 1),
    ],
  },
  decodeQuantized: {
    ok: () => compress.decodeQuantized(compress.encodeQuantized(compress.quantizeModel(cnnModel(), calib()))),
    bad: [
      () => compress.decodeQuantized('x' as never),
      () => compress.decodeQuantized(st()),
      () => anyFn(compress.decodeQuantized)(st(), 'a', 1),
    ],
  },
  fakeQuantize: {
    ok: () => compress.fakeQuantize(x2(), qgrid),
    bad: [
      () => compress.fakeQuantize(5 as never, qgrid),
      () => compress.fakeQuantize(x2(), { scale: -1 } as never),
      () => anyFn(compress.fakeQuantize)(x2(), qgrid, 1),
    ],
  },
  fakeQuantizeWeight: {
    ok: () => compress.fakeQuantizeWeight(x2(), { perChannel: false }),
    bad: [
      () => compress.fakeQuantizeWeight(5 as never),
      () => compress.fakeQuantizeWeight(x2(), { ...bogus } as never),
      () => anyFn(compress.fakeQuantizeWeight)(x2(), {}, 1),
    ],
  },
  QatModel: {
    ok: () => new compress.QatModel(cnnModel(), { activationRange: 'full' }),
    bad: [
      () => new compress.QatModel(cnnModel(), { ...bogus } as never),
      () => new compress.QatModel(cnnModel(), { averaging: 0 }),
      () => new (anyCtor(compress.QatModel))(cnnModel(), {}, 1),
    ],
  },
};

test('every io export rejects wrong arguments, naming itself', () => {
  walk('io', io, ioWalk, '');
});

test('every metrics export rejects wrong arguments and extra ones, naming itself', () => {
  walk('metrics', metrics, metricsWalk, '');
});

test('every decoding export (shinsou/models) rejects unknown options, wrong types and extra arguments, naming itself', () => {
  walk('decoding', decoding, decodingWalk, '');
});

test('every models.gan export rejects unknown options, wrong types and extra arguments, naming itself', () => {
  walk('gan', gan, ganWalk, '');
});

test('every nn.functional export rejects unknown options and wrong arguments, naming itself', () => {
  walk('nn.functional', nn.functional, functionalWalk, '');
});

// The deep RL agents and their pieces (docs/rl.md), walked on a 5-cell GridWorld corridor.
const corridorEnv = (): s.rl.Env<unknown, number> =>
  s.rl.makeEnv('GridWorld', { layout: ['X.S.G'], slip: 0, maxEpisodeSteps: 6 }) as s.rl.Env<unknown, number>;
const tiny = { makeEnv: corridorEnv, hidden: [4], evalEpisodes: 0 };
const policyInfo: s.rl.PolicyInfo = {
  env: 'GridWorld',
  algo: 'ppo',
  kind: 'logits',
  obsDim: 5,
  actions: 4,
  hidden: [4],
  activation: 'tanh',
  scaleObs: false,
};
const rlAgentsWalk: Record<string, Walked> = {
  reinforce: {
    ok: () => s.rl.reinforce(tiny),
    bad: [
      () => s.rl.reinforce({ ...tiny, ...bogus } as never),
      () => s.rl.reinforce({ ...tiny, lr: -1 }),
      () => anyFn(s.rl.reinforce)(tiny, 1),
    ],
  },
  a2c: {
    ok: () => s.rl.a2c(tiny),
    bad: [() => s.rl.a2c({ ...tiny, ...bogus } as never), () => s.rl.a2c({ ...tiny, nSteps: 1.5 }), () => anyFn(s.rl.a2c)(tiny, 1)],
  },
  ppo: {
    ok: () => s.rl.ppo(tiny),
    bad: [() => s.rl.ppo({ ...tiny, ...bogus } as never), () => s.rl.ppo({ ...tiny, clipRange: 0 }), () => anyFn(s.rl.ppo)(tiny, 1)],
  },
  dqn: {
    ok: () => s.rl.dqn(tiny),
    bad: [() => s.rl.dqn({ ...tiny, ...bogus } as never), () => s.rl.dqn({ ...tiny, double: 'yes' } as never), () => s.rl.dqn(5 as never)],
  },
  ppoClipLoss: {
    ok: () => s.rl.ppoClipLoss(randn([3]), randn([3]), randn([3]), 0.2),
    bad: [
      () => s.rl.ppoClipLoss([1] as never, randn([3]), randn([3]), 0.2),
      () => s.rl.ppoClipLoss(randn([3]), randn([3]), randn([3]), '0.2' as never),
      () => anyFn(s.rl.ppoClipLoss)(randn([3]), randn([3]), randn([3]), 0.2, 1),
    ],
  },
  ReplayBuffer: {
    ok: () => new s.rl.ReplayBuffer(4, 2),
    bad: [() => new s.rl.ReplayBuffer(0, 2), () => new s.rl.ReplayBuffer(4, '2' as never), () => new (anyCtor(s.rl.ReplayBuffer))(4, 2, 1)],
  },
  gae: {
    ok: () => s.rl.gae({ rewards: [1], values: [0], terminated: [0], done: [0], lastValues: [0], gamma: 0.9, lambda: 0.9 }),
    bad: [
      () =>
        s.rl.gae({ rewards: [1], values: [0], terminated: [0], done: [0], lastValues: [0], gamma: 0.9, lambda: 0.9, ...bogus } as never),
      () => s.rl.gae({ rewards: [1], values: [0], terminated: [0], done: [0], lastValues: [0], gamma: 2, lambda: 0.9 }),
      () => anyFn(s.rl.gae)({ rewards: [1], values: [0], terminated: [0], done: [0], lastValues: [0], gamma: 0.9, lambda: 0.9 }, 1),
    ],
  },
  rewardToGo: {
    ok: () => s.rl.rewardToGo([1, 2], 0.9),
    bad: [() => s.rl.rewardToGo(5 as never, 0.9), () => s.rl.rewardToGo([1], '0.9' as never), () => anyFn(s.rl.rewardToGo)([1], 0.9, 0, 1)],
  },
  differentialRewardToGo: {
    ok: () => s.rl.differentialRewardToGo([1, 2], 0.5),
    bad: [() => s.rl.differentialRewardToGo([1], NaN), () => anyFn(s.rl.differentialRewardToGo)([1], 0.5, 1)],
  },
  EnvRunner: {
    ok: () => new s.rl.EnvRunner(corridorEnv, 2, 0),
    bad: [
      () => new s.rl.EnvRunner(5 as never, 2, 0),
      () => new s.rl.EnvRunner(corridorEnv, 0, 0),
      () => new s.rl.EnvRunner(corridorEnv, 2, 0, 'no' as never),
      () => new (anyCtor(s.rl.EnvRunner))(corridorEnv, 2, 0, false, 1),
    ],
  },
  evaluateEpisodes: {
    ok: () => s.rl.evaluateEpisodes(corridorEnv, (_o, rows) => new Int32Array(rows), 2, 0),
    bad: [
      () => s.rl.evaluateEpisodes(corridorEnv, 5 as never, 2, 0),
      () => s.rl.evaluateEpisodes(corridorEnv, (_o, rows) => new Int32Array(rows), 0, 0),
      () => anyFn(s.rl.evaluateEpisodes)(corridorEnv, (_o: unknown, rows: number) => new Int32Array(rows), 2, 0, false, 10, 1),
    ],
  },
  encodePolicy: {
    ok: () => s.rl.encodePolicy(s.rl.ppo(tiny).policyNet, policyInfo),
    bad: [
      () => s.rl.encodePolicy(s.rl.ppo(tiny).policyNet, { ...policyInfo, ...bogus } as never),
      () => s.rl.encodePolicy(s.rl.ppo(tiny).policyNet, { ...policyInfo, kind: 'v' } as never),
      () => anyFn(s.rl.encodePolicy)(s.rl.ppo(tiny).policyNet, policyInfo, 1),
    ],
  },
  decodePolicy: {
    ok: () => s.rl.decodePolicy(s.rl.encodePolicy(s.rl.ppo(tiny).policyNet, policyInfo)),
    bad: [() => s.rl.decodePolicy(io.encodeSafetensors({ w: randn([2]) })), () => anyFn(s.rl.decodePolicy)(new Uint8Array(0), 'x', 1)],
  },
};

test('every rl export rejects unknown options, wrong types and extra arguments, naming itself', () => {
  walk('rl', rl, { ...rlWalk, ...rlAgentsWalk }, '', ['BaseEnv']);
});

test('the nn containers reject what is not a Module, naming nn.<Container>', () => {
  const containers = Object.fromEntries(['Sequential', 'ModuleList', 'ModuleDict'].map((k) => [k, (nn as Record<string, unknown>)[k]]));
  walk('nn', containers, containersWalk, 'nn.');
});

const vocab = () => w2v.Word2VecVocab.build([['a', 'b', 'a']], 1);
const wvs = () => new w2v.WordVectors(['a', 'b', 'c'], Float32Array.from([1, 0, 0, 1, 1, 1]), 2);
const w2vModel = () => new w2v.Word2Vec({ vocabSize: 2, dim: 3 });
const w2vOpts = { mode: 'skipgram', window: 2, negatives: 1, sample: 0, alpha: 0.1, minAlpha: 0.01, epochs: 1, seed: 0 } as const;
const word2vecWalk: Record<string, Walked> = {
  tokenizeVerse: { ok: () => w2v.tokenizeVerse('a b'), bad: [() => w2v.tokenizeVerse(5 as never), () => anyFn(w2v.tokenizeVerse)('a', 1)] },
  tokenizeLines: {
    ok: () => w2v.tokenizeLines('a\nb'),
    bad: [() => w2v.tokenizeLines(['a'] as never), () => anyFn(w2v.tokenizeLines)('a', 1)],
  },
  Word2VecVocab: {
    ok: () => new w2v.Word2VecVocab(['a'], [1]),
    bad: [
      () => new w2v.Word2VecVocab('a' as never, [1]),
      () => new w2v.Word2VecVocab(['a'], ['1'] as never),
      () => new w2v.Word2VecVocab(['a'], [1, 2]),
      () => new (anyCtor(w2v.Word2VecVocab))(['a'], [1], 1),
    ],
  },
  keepThresholds: {
    ok: () => w2v.keepThresholds([3, 1], 0.1),
    bad: [
      () => w2v.keepThresholds([3, 1], '0.1' as never),
      () => w2v.keepThresholds(5 as never, 0.1),
      () => anyFn(w2v.keepThresholds)([1], 0, 1),
    ],
  },
  keepProbabilities: {
    ok: () => w2v.keepProbabilities([3, 1], 0.1),
    bad: [
      () => w2v.keepProbabilities([3, 1], -1),
      () => w2v.keepProbabilities(['3'] as never, 0),
      () => anyFn(w2v.keepProbabilities)([1], 0, 1),
    ],
  },
  unigramTable: {
    ok: () => w2v.unigramTable([3, 1], 10),
    bad: [
      () => w2v.unigramTable([3, 1], 1),
      () => w2v.unigramTable([3, 1], '10' as never),
      () => anyFn(w2v.unigramTable)([1], 10, 0.75, 1),
    ],
  },
  Word2Vec: {
    ok: w2vModel,
    bad: [
      () => new w2v.Word2Vec({ vocabSize: 2, ...bogus } as never),
      () => new w2v.Word2Vec(2 as never),
      () => new w2v.Word2Vec({ vocabSize: 0 }),
      () => new (anyCtor(w2v.Word2Vec))({ vocabSize: 2 }, 1),
    ],
  },
  negativeSamplingLoss: {
    ok: () => w2v.negativeSamplingLoss(randn([3, 2]), randn([3, 2]), [0], 1, [2]),
    bad: [
      () => w2v.negativeSamplingLoss([1] as never, randn([3, 2]), [0], 1, [2]),
      () => w2v.negativeSamplingLoss(randn([3, 2]), randn([3, 2]), [5], 1, [2]),
      () => w2v.negativeSamplingLoss(randn([3, 2]), randn([3, 2]), [0], '1' as never, [2]),
      () => anyFn(w2v.negativeSamplingLoss)(randn([3, 2]), randn([3, 2]), [0], 1, [2], 1),
    ],
  },
  word2vecTask: {
    ok: () => w2v.word2vecTask(w2vModel(), vocab(), vocab().encode([['a', 'b']]), w2vOpts),
    bad: [
      () => w2v.word2vecTask(5 as never, vocab(), vocab().encode([['a']]), w2vOpts),
      () => w2v.word2vecTask(w2vModel(), vocab(), vocab().encode([['a']]), { ...w2vOpts, ...bogus } as never),
      () => w2v.word2vecTask(w2vModel(), vocab(), vocab().encode([['a']]), { ...w2vOpts, window: 0 }),
      () => w2v.word2vecTask(w2vModel(), vocab(), vocab().encode([['a']]), { ...w2vOpts, mode: 'glove' as never }),
      () => w2v.word2vecTask(w2vModel(), vocab(), { ids: [0] } as never, w2vOpts),
      () => anyFn(w2v.word2vecTask)(w2vModel(), vocab(), vocab().encode([['a']]), w2vOpts, undefined, 1),
    ],
  },
  WordVectors: {
    ok: wvs,
    bad: [
      () => new w2v.WordVectors(['a'], [1, 2] as never, 2),
      () => new w2v.WordVectors(['a'], new Float32Array(3), 2),
      () => new w2v.WordVectors(['a'], new Float32Array(2), '2' as never),
      () => new (anyCtor(w2v.WordVectors))(['a'], new Float32Array(2), 2, 1),
    ],
  },
  analogyAccuracy: {
    ok: () => w2v.analogyAccuracy(wvs(), [{ section: 's', a: 'a', b: 'b', c: 'c', d: 'a' }]),
    bad: [
      () => w2v.analogyAccuracy(5 as never, []),
      () => w2v.analogyAccuracy(wvs(), [{ a: 1 }] as never),
      () => anyFn(w2v.analogyAccuracy)(wvs(), [], 1),
    ],
  },
  neighbourOverlap: {
    ok: () => w2v.neighbourOverlap(wvs(), wvs(), ['a'], 1),
    bad: [
      () => w2v.neighbourOverlap(wvs(), 5 as never, ['a']),
      () => w2v.neighbourOverlap(wvs(), wvs(), ['a'], 0),
      () => anyFn(w2v.neighbourOverlap)(wvs(), wvs(), ['a'], 1, 1),
    ],
  },
  pca2: {
    ok: () => w2v.pca2([new Float32Array([1, 0]), new Float32Array([0, 1]), new Float32Array([1, 1])]),
    bad: [
      () => w2v.pca2([[1, 0]] as never),
      () => w2v.pca2([new Float32Array(2)]),
      () => anyFn(w2v.pca2)([new Float32Array(2), new Float32Array(2)], 1),
    ],
  },
  kjvAnalogyQuestions: { ok: () => w2v.kjvAnalogyQuestions(), bad: [() => anyFn(w2v.kjvAnalogyQuestions)(1)] },
  formatAnalogies: {
    ok: () => w2v.formatAnalogies([{ section: 's', a: 'a', b: 'b', c: 'c', d: 'd' }]),
    bad: [() => w2v.formatAnalogies('x' as never), () => anyFn(w2v.formatAnalogies)([], 1)],
  },
  contentWords: {
    ok: () => w2v.contentWords(['the', 'lord'], 1),
    bad: [
      () => w2v.contentWords('the' as never, 1),
      () => w2v.contentWords(['the'], -1),
      () => w2v.contentWords(['the'], 1, ['the'] as never),
      () => anyFn(w2v.contentWords)(['the'], 1, undefined, 1),
    ],
  },
};

test('every models.word2vec export rejects unknown options, wrong types and extra arguments, naming itself', () => {
  walk('word2vec', w2v, word2vecWalk, '');
});

test('every models.vae export rejects unknown options, wrong types and extra arguments, naming itself', () => {
  walk('vae', vae, vaeWalk, '');
});

const nnFunctionsWalk: Record<string, Walked> = {
  paddingMask: {
    ok: () => nn.paddingMask([2, 1], 3),
    bad: [
      () => nn.paddingMask('2,1' as never, 3),
      () => nn.paddingMask([2, 1], 0),
      () => nn.paddingMask([4, 1], 3),
      () => anyFn(nn.paddingMask)([2, 1], 3, 1),
    ],
  },
  summary: {
    ok: () => nn.summary(new nn.Conv2d(1, 2, 3), [1, 1, 5, 5]),
    bad: [
      () => nn.summary(new nn.Conv2d(1, 2, 3), [1, 1, 5, 5], bogus as never),
      () => nn.summary(new nn.Conv2d(1, 2, 3), '1,1,5,5' as never),
      () => nn.summary({} as never, [1, 1, 5, 5]),
      () => anyFn(nn.summary)(new nn.Conv2d(1, 2, 3), [1, 1, 5, 5], {}, 1),
    ],
  },
  formatSummary: {
    ok: () => nn.formatSummary(nn.summary(new nn.Linear(2, 3), [1, 2])),
    bad: [
      () => nn.formatSummary(5 as never),
      () => nn.formatSummary(nn.summary(new nn.Linear(2, 3), [1, 2]), bogus as never),
      () => anyFn(nn.formatSummary)(nn.summary(new nn.Linear(2, 3), [1, 2]), {}, 1),
    ],
  },
  tieWeights: {
    ok: () => nn.tieWeights(new nn.Linear(3, 5), new nn.Embedding(5, 3)),
    bad: [
      () => nn.tieWeights(new nn.Embedding(5, 3) as never, new nn.Embedding(5, 3)),
      () => nn.tieWeights(new nn.Linear(3, 5), new nn.Linear(3, 5) as never),
      () => nn.tieWeights(new nn.Linear(3, 4), new nn.Embedding(5, 3)),
      () => anyFn(nn.tieWeights)(new nn.Linear(3, 5), new nn.Embedding(5, 3), 1),
    ],
  },
  generateSquareSubsequentMask: {
    ok: () => nn.Transformer.generateSquareSubsequentMask(4, { dtype: 'float64' }),
    bad: [
      () => nn.Transformer.generateSquareSubsequentMask(0),
      () => nn.Transformer.generateSquareSubsequentMask('4' as never),
      () => nn.Transformer.generateSquareSubsequentMask(4, bogus as never),
      () => anyFn(nn.Transformer.generateSquareSubsequentMask)(4, {}, 1),
    ],
  },
  fuseConvBn: {
    ok: () => nn.fuseConvBn(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2)),
    bad: [
      () => nn.fuseConvBn(new nn.Linear(1, 2) as never, new nn.BatchNorm2d(2)),
      () => nn.fuseConvBn(new nn.Conv2d(1, 2, 3), new nn.BatchNorm1d(2) as never),
      () => anyFn(nn.fuseConvBn)(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), 1),
    ],
  },
};

test('nn.summary, nn.formatSummary, nn.fuseConvBn, nn.tieWeights, nn.paddingMask and nn.Transformer.generateSquareSubsequentMask reject wrong arguments, naming themselves', () => {
  walk(
    'nn',
    {
      summary: nn.summary,
      formatSummary: nn.formatSummary,
      fuseConvBn: nn.fuseConvBn,
      tieWeights: nn.tieWeights,
      paddingMask: nn.paddingMask,
      generateSquareSubsequentMask: nn.Transformer.generateSquareSubsequentMask,
    },
    nnFunctionsWalk,
    '',
  );
});

test("the attention layers' forward methods reject unknown options, wrong types and extra arguments, naming Class.forward", () => {
  const x = (): Tensor => randn([3, 2, 8]);
  const mha = new nn.MultiheadAttention(8, 2);
  const enc = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 8 });
  const dec = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 8 });
  const encs = new nn.TransformerEncoder(enc, 1);
  const decs = new nn.TransformerDecoder(dec, 1);
  const tr = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 });
  const pe = new nn.PositionalEncoding(8);
  const lpe = new nn.LearnedPositionalEmbedding(5, 8);
  const forwards: Record<string, Walked> = {
    'MultiheadAttention.forward': {
      ok: () => mha.forward(x(), x(), x(), { needWeights: false }),
      bad: [
        () => mha.forward(x(), x(), x(), bogus as never),
        () => mha.forward(x(), x(), x(), { needWeights: 'no' } as never),
        () => mha.forward(x(), 5 as never, x()),
        () => anyFn(mha.forward.bind(mha))(x(), x(), x(), {}, 1),
      ],
    },
    'TransformerEncoderLayer.forward': {
      ok: () => enc.forward(x(), { isCausal: true }),
      bad: [
        () => enc.forward(x(), bogus as never),
        () => enc.forward(x(), { srcMask: 1 } as never),
        () => anyFn(enc.forward.bind(enc))(x(), {}, 1),
      ],
    },
    'TransformerDecoderLayer.forward': {
      ok: () => dec.forward(x(), x(), { tgtIsCausal: true }),
      bad: [
        () => dec.forward(x(), x(), bogus as never),
        () => dec.forward(x(), null as never),
        () => anyFn(dec.forward.bind(dec))(x(), x(), {}, 1),
      ],
    },
    'TransformerEncoder.forward': {
      ok: () => encs.forward(x(), { isCausal: true }),
      bad: [() => encs.forward(x(), { srcMask: null } as never), () => anyFn(encs.forward.bind(encs))(x(), {}, 1)],
    },
    'TransformerDecoder.forward': {
      ok: () => decs.forward(x(), x()),
      bad: [() => decs.forward(x(), x(), bogus as never), () => anyFn(decs.forward.bind(decs))(x(), x(), {}, 1)],
    },
    'Transformer.forward': {
      ok: () => tr.forward(x(), x(), { tgtIsCausal: true }),
      bad: [
        () => tr.forward(x(), x(), { isCausal: true } as never),
        () => tr.forward(x(), 'tgt' as never),
        () => anyFn(tr.forward.bind(tr))(x(), x(), {}, 1),
      ],
    },
    'TransformerDecoder.forwardStep': {
      ok: () => decs.forwardStep(randn([1, 2, 8]), x(), new nn.TransformerDecoderCache(1)),
      bad: [
        () => decs.forwardStep(randn([1, 2, 8]), x(), new nn.TransformerDecoderCache(2)),
        () => decs.forwardStep(randn([1, 2, 8]), x(), new nn.TransformerDecoderCache(1), bogus as never),
        () => anyFn(decs.forwardStep.bind(decs))(randn([1, 2, 8]), x(), new nn.TransformerDecoderCache(1), {}, 1),
      ],
    },
    'TransformerDecoderLayer.forwardStep': {
      ok: () => dec.forwardStep(randn([1, 2, 8]), x(), new nn.TransformerDecoderCache(1).layers[0]!),
      bad: [
        () => dec.forwardStep(x(), x(), new nn.TransformerDecoderCache(1).layers[0]!),
        () => dec.forwardStep(randn([1, 2, 8]), x(), new nn.TransformerDecoderCache(1).layers[0]!, { memoryMask: null } as never),
        () => anyFn(dec.forwardStep.bind(dec))(randn([1, 2, 8]), x(), new nn.TransformerDecoderCache(1).layers[0]!, {}, 1),
      ],
    },
    'TransformerDecoderCache.reorder': {
      ok: () => new nn.TransformerDecoderCache(1).reorder(i32([0])),
      bad: [
        () => new nn.TransformerDecoderCache(1).reorder([0] as never),
        () => anyFn(new nn.TransformerDecoderCache(1).reorder.bind(new nn.TransformerDecoderCache(1)))(i32([0]), 1),
      ],
    },
    'PositionalEncoding.forward': {
      ok: () => pe.forward(x(), 2),
      bad: [() => pe.forward(x(), -1), () => pe.forward(x(), { offset: 1 } as never), () => anyFn(pe.forward.bind(pe))(x(), 0, 1)],
    },
    'LearnedPositionalEmbedding.forward': {
      ok: () => lpe.forward(x()),
      bad: [() => lpe.forward(x(), 1.5), () => lpe.forward(randn([6, 1, 8])), () => anyFn(lpe.forward.bind(lpe))(x(), 0, 1)],
    },
  };
  const fns = Object.fromEntries(Object.keys(forwards).map((k) => [k, () => undefined]));
  walk('nn', fns, forwards, '', []);
});

test('the RNN attention layers reject wrong inputs and extra arguments in forward, naming themselves', () => {
  const layers = [new nn.AdditiveAttention(3, 4, 2), new nn.LuongAttention(3, 4, { score: 'general' })];
  for (const l of layers) {
    const who = names(l.constructor.name);
    l.forward(randn([2, 3]), randn([2, 5, 4]), nn.paddingMask([5, 2], 5));
    assert.throws(() => l.forward([1] as never, randn([2, 5, 4])), who);
    assert.throws(() => l.forward(randn([2, 3]), randn([2, 5, 3])), who);
    assert.throws(() => l.forward(randn([2, 3]), randn([2, 5, 4]), randn([2, 5])), who);
    assert.throws(() => anyFn(l.forward.bind(l))(randn([2, 3]), randn([2, 5, 4]), null, 1), names(`${l.constructor.name}.forward`));
  }
});

// The encoder-decoder family (shinsou/models `seq2seq`), walked on a tiny model.
const s2sIds = { pad: 0, bos: 1, eos: 2 };
const s2sModel = (): InstanceType<typeof seq2seq.Seq2Seq> => new seq2seq.Seq2Seq({ srcVocab: 6, tgtVocab: 5, embedSize: 2, hiddenSize: 4 });
const s2sPairs = [{ source: Int32Array.of(3, 4), target: Int32Array.of(3) }];
const seq2seqWalk: Record<string, Walked> = {
  Seq2Seq: {
    ok: s2sModel,
    bad: [
      () => new seq2seq.Seq2Seq({ srcVocab: 6, tgtVocab: 5, ...bogus } as never),
      () => new seq2seq.Seq2Seq(6 as never),
      () => new seq2seq.Seq2Seq({ srcVocab: 6 } as never),
      () => new seq2seq.Seq2Seq({ srcVocab: 6, tgtVocab: 5, attention: 'luong' } as never),
      () => new seq2seq.Seq2Seq({ srcVocab: 6, tgtVocab: 5, hiddenSize: 3, bidirectional: true }),
      () => new (anyCtor(seq2seq.Seq2Seq))({ srcVocab: 6, tgtVocab: 5 }, 1),
    ],
  },
  additionPairs: {
    ok: () => seq2seq.additionPairs({ count: 3, digits: 1 }),
    bad: [
      () => seq2seq.additionPairs({ ...bogus } as never),
      () => seq2seq.additionPairs({ count: 200, digits: 1 }),
      () => seq2seq.additionPairs(3 as never),
      () => anyFn(seq2seq.additionPairs)({}, 1),
    ],
  },
  datePairs: {
    ok: () => seq2seq.datePairs({ trainSize: 3, validSize: 2 }),
    bad: [
      () => seq2seq.datePairs({ ...bogus } as never),
      () => seq2seq.datePairs({ heldOutDays: 1 }),
      () => seq2seq.datePairs({ trainSize: '3' } as never),
      () => anyFn(seq2seq.datePairs)({}, 1),
    ],
  },
  seq2seqCharVocab: {
    ok: () => seq2seq.seq2seqCharVocab(['12+3']),
    bad: [() => seq2seq.seq2seqCharVocab('12+3' as never), () => anyFn(seq2seq.seq2seqCharVocab)(['1'], 1)],
  },
  collateSeq2Seq: {
    ok: () => seq2seq.collateSeq2Seq(s2sPairs, s2sIds),
    bad: [
      () => seq2seq.collateSeq2Seq([], s2sIds),
      () => seq2seq.collateSeq2Seq([{ source: [3], target: [3] }] as never, s2sIds),
      () => seq2seq.collateSeq2Seq(s2sPairs, { ...s2sIds, ...bogus } as never),
      () => seq2seq.collateSeq2Seq(s2sPairs, { pad: 0 } as never),
      () => anyFn(seq2seq.collateSeq2Seq)(s2sPairs, s2sIds, 1),
    ],
  },
  generateSeq2Seq: {
    ok: () => seq2seq.generateSeq2Seq(s2sModel(), [Int32Array.of(3, 4)], s2sIds, { maxLength: 3, method: 'beam', beamWidth: 2 }),
    bad: [
      () => seq2seq.generateSeq2Seq({} as never, [Int32Array.of(3)], s2sIds, { maxLength: 3 }),
      () => seq2seq.generateSeq2Seq(s2sModel(), [[3]] as never, s2sIds, { maxLength: 3 }),
      () => seq2seq.generateSeq2Seq(s2sModel(), [Int32Array.of(3)], { ...s2sIds, ...bogus } as never, { maxLength: 3 }),
      () => seq2seq.generateSeq2Seq(s2sModel(), [Int32Array.of(3)], s2sIds, undefined as never),
      () => seq2seq.generateSeq2Seq(s2sModel(), [Int32Array.of(3)], s2sIds, { maxLength: 3, batchSize: 0 }),
      () => anyFn(seq2seq.generateSeq2Seq)(s2sModel(), [Int32Array.of(3)], s2sIds, { maxLength: 3 }, 1),
    ],
  },
  evaluateSeq2Seq: {
    ok: () => seq2seq.evaluateSeq2Seq(s2sModel(), s2sPairs, s2sIds),
    bad: [
      () => seq2seq.evaluateSeq2Seq(5 as never, s2sPairs, s2sIds),
      () => seq2seq.evaluateSeq2Seq(s2sModel(), [], s2sIds),
      () => seq2seq.evaluateSeq2Seq(s2sModel(), s2sPairs, s2sIds, 0),
      () => anyFn(seq2seq.evaluateSeq2Seq)(s2sModel(), s2sPairs, s2sIds, 4, 1),
    ],
  },
  seq2seqTask: {
    ok: () => seq2seq.seq2seqTask(s2sModel(), { train: s2sPairs, valid: s2sPairs }, s2sIds, { epochs: 1, batchSize: 2 }),
    bad: [
      () => seq2seq.seq2seqTask(s2sModel(), { train: s2sPairs, valid: s2sPairs }, s2sIds, { epochs: 1, batchSize: 2, ...bogus } as never),
      () => seq2seq.seq2seqTask(s2sModel(), { train: [], valid: s2sPairs }, s2sIds, { epochs: 1, batchSize: 2 }),
      () => seq2seq.seq2seqTask(s2sModel(), { train: s2sPairs, valid: s2sPairs }, s2sIds, { epochs: 0, batchSize: 2 }),
      () => seq2seq.seq2seqTask(s2sModel(), { train: s2sPairs, valid: s2sPairs }, s2sIds, 3 as never),
      () => anyFn(seq2seq.seq2seqTask)(s2sModel(), { train: s2sPairs, valid: s2sPairs }, s2sIds, { epochs: 1, batchSize: 2 }, 1),
    ],
  },
};

test('every models.seq2seq export rejects unknown options, wrong types and extra arguments, naming itself', () => {
  walk('seq2seq', seq2seq, seq2seqWalk, '');
});

/** A builder or model class of the CNN families: a valid call, then an unknown option, a wrong type and an extra argument. */
function modelWalk(ok: () => unknown, call: (...a: unknown[]) => unknown, args: unknown[], options = true): Walked {
  const bad: (() => unknown)[] = [() => call(...args.map((a) => (typeof a === 'number' ? String(a) : 7)))];
  if (options)
    bad.push(
      () => call(...args, bogus),
      () => call(...args, 7),
      () => call(...args, {}, 1),
    );
  else bad.push(() => call(...args, 1, 2, 3, 4, 5));
  if (args.length === 0) bad.shift();
  return { ok, bad };
}
const make =
  (C: unknown) =>
  (...a: unknown[]): unknown =>
    new (anyCtor(C))(...a);

const resnetWalk: Record<string, Walked> = {
  BasicBlock: modelWalk(() => new resnet.BasicBlock(4, 4), make(resnet.BasicBlock), [4, 4]),
  Bottleneck: modelWalk(() => new resnet.Bottleneck(16, 4), make(resnet.Bottleneck), [16, 4]),
  PreActBlock: modelWalk(() => new resnet.PreActBlock(4, 4), make(resnet.PreActBlock), [4, 4]),
  PreActBottleneck: modelWalk(() => new resnet.PreActBottleneck(16, 4), make(resnet.PreActBottleneck), [16, 4]),
  PyramidBlock: modelWalk(() => new resnet.PyramidBlock(4, 4), make(resnet.PyramidBlock), [4, 4]),
  ResNet: {
    ok: () => new resnet.ResNet({ layers: [1], widths: [4] }),
    bad: [
      () => new resnet.ResNet({ layers: [1], ...bogus } as never),
      () => new resnet.ResNet(7 as never),
      () => new resnet.ResNet({ layers: [1], block: 'wide' } as never),
      () => new resnet.ResNet({ layers: [1, 1], widths: [4] }),
      () => new (anyCtor(resnet.ResNet))({ layers: [1] }, 1),
    ],
  },
  resnet18: modelWalk(() => resnet.resnet18({ numClasses: 10 }), anyFn(resnet.resnet18), []),
  resnet34: modelWalk(() => resnet.resnet34({ numClasses: 10 }), anyFn(resnet.resnet34), []),
  resnet50: modelWalk(() => resnet.resnet50({ numClasses: 10 }), anyFn(resnet.resnet50), []),
  wideResnet50_2: modelWalk(() => resnet.wideResnet50_2({ numClasses: 10 }), anyFn(resnet.wideResnet50_2), []),
  cifarResnet: modelWalk(() => resnet.cifarResnet(8), anyFn(resnet.cifarResnet), [8]),
  resnet20: modelWalk(() => resnet.resnet20(), anyFn(resnet.resnet20), []),
  resnet32: modelWalk(() => resnet.resnet32(), anyFn(resnet.resnet32), []),
  resnet44: modelWalk(() => resnet.resnet44(), anyFn(resnet.resnet44), []),
  resnet56: modelWalk(() => resnet.resnet56(), anyFn(resnet.resnet56), []),
  resnet110: modelWalk(() => resnet.resnet110(), anyFn(resnet.resnet110), []),
  preactResnet110: modelWalk(() => resnet.preactResnet110(), anyFn(resnet.preactResnet110), []),
  preactResnet164: modelWalk(() => resnet.preactResnet164(), anyFn(resnet.preactResnet164), []),
  wideResnet: modelWalk(() => resnet.wideResnet(10, 1), anyFn(resnet.wideResnet), [10, 1]),
  PyramidNet: modelWalk(() => new resnet.PyramidNet(8, 4), make(resnet.PyramidNet), [8, 4]),
  pyramidNet: modelWalk(() => resnet.pyramidNet(8, 4), anyFn(resnet.pyramidNet), [8, 4]),
};

const densenetWalk: Record<string, Walked> = {
  DenseLayer: modelWalk(() => new densenet.DenseLayer(4, 2, 2, 0), make(densenet.DenseLayer), [4, 2, 2, 0], false),
  DenseBlock: modelWalk(() => new densenet.DenseBlock(2, 4, 2, 2, 0), make(densenet.DenseBlock), [2, 4, 2, 2, 0], false),
  transition: modelWalk(() => densenet.transition(4, 2), anyFn(densenet.transition), [4, 2], false),
  DenseNet: {
    ok: () => new densenet.DenseNet({ growthRate: 2, blockConfig: [1, 1], numInitFeatures: 4 }),
    bad: [
      () => new densenet.DenseNet(bogus as never),
      () => new densenet.DenseNet(7 as never),
      () => new densenet.DenseNet({ compression: 2 }),
      () => new (anyCtor(densenet.DenseNet))({}, 1),
    ],
  },
  densenet121: modelWalk(() => densenet.densenet121({ numClasses: 10 }), anyFn(densenet.densenet121), []),
  densenetBC: modelWalk(() => densenet.densenetBC(10, 2), anyFn(densenet.densenetBC), [10, 2]),
  densenetCifar: modelWalk(() => densenet.densenetCifar(7, 2), anyFn(densenet.densenetCifar), [7, 2]),
};

const mobilenetWalk: Record<string, Walked> = {
  depthwiseSeparable: modelWalk(() => mobilenet.depthwiseSeparable(4, 8), anyFn(mobilenet.depthwiseSeparable), [4, 8, 1, 3], false),
  MobileNetV1: modelWalk(() => new mobilenet.MobileNetV1({ alpha: 0.25 }), make(mobilenet.MobileNetV1), []),
  mobilenetV1: modelWalk(() => mobilenet.mobilenetV1({ alpha: 0.25 }), anyFn(mobilenet.mobilenetV1), []),
  mobilenetV1Cost: modelWalk(() => mobilenet.mobilenetV1Cost({ alpha: 0.5 }), anyFn(mobilenet.mobilenetV1Cost), []),
  makeDivisible: modelWalk(() => mobilenet.makeDivisible(33, 8), anyFn(mobilenet.makeDivisible), [33, 8], false),
  InvertedResidual: modelWalk(() => new mobilenet.InvertedResidual(4, 4, 1, 6), make(mobilenet.InvertedResidual), [4, 4, 1, 6], false),
  MobileNetV2: modelWalk(() => new mobilenet.MobileNetV2({ widthMult: 0.25 }), make(mobilenet.MobileNetV2), []),
  mobilenetV2: modelWalk(() => mobilenet.mobilenetV2({ widthMult: 0.25 }), anyFn(mobilenet.mobilenetV2), []),
};

const cnnWalk: Record<string, Walked> = {
  fashionAugmentation: {
    ok: () => cnn.fashionAugmentation('crop-flip'),
    bad: [() => cnn.fashionAugmentation('rotate' as never), () => anyFn(cnn.fashionAugmentation)('none', 1)],
  },
};

test('the CNN families (models.resnet, densenet, mobilenet, cnn) reject unknown options, wrong types and extra arguments, naming themselves', () => {
  walk('models.resnet', resnet, resnetWalk, '');
  walk('models.densenet', densenet, densenetWalk, '');
  walk('models.mobilenet', mobilenet, mobilenetWalk, '');
  walk('models.cnn', cnn, cnnWalk, '');
});

// Compression (docs/compression.md): distillation, pruning, ONNX export.
const smallCnn = (): InstanceType<typeof nn.Sequential> => classifier.cnnSmall();
const logits = (): Tensor => randn([3, 4]);
const compressWalk: Record<string, Walked> = {
  distillationLoss: {
    ok: () => compress.distillationLoss(logits(), logits(), i32([0, 1, 3]), { temperature: 2, alpha: 0.5 }),
    bad: [
      () => compress.distillationLoss(logits(), logits(), i32([0, 1, 3]), bogus as never),
      () => compress.distillationLoss(logits(), logits(), i32([0, 1, 3]), { alpha: '1' } as never),
      () => compress.distillationLoss('z' as never, logits(), i32([0, 1, 3])),
      () => anyFn(compress.distillationLoss)(logits(), logits(), i32([0, 1, 3]), {}, 1),
    ],
  },
  logitsOf: {
    ok: () => compress.logitsOf(smallCnn(), randn([2, 1, 28, 28]), 1),
    bad: [
      () => compress.logitsOf(5 as never, randn([2, 1, 28, 28])),
      () => compress.logitsOf(smallCnn(), randn([2, 1, 28, 28]), 0),
      () => anyFn(compress.logitsOf)(smallCnn(), randn([2, 1, 28, 28]), 1, 1),
    ],
  },
  sparsitySchedule: {
    ok: () => compress.sparsitySchedule(0.9, 4, 2),
    bad: [
      () => compress.sparsitySchedule(1.5, 4, 2),
      () => compress.sparsitySchedule(0.9, 4, 5),
      () => anyFn(compress.sparsitySchedule)(0.9, 4, 2, 1),
    ],
  },
  prunableLayers: {
    ok: () => compress.prunableLayers(smallCnn()),
    bad: [() => compress.prunableLayers({} as never), () => anyFn(compress.prunableLayers)(smallCnn(), 1)],
  },
  maskOf: {
    ok: () => compress.maskOf(new nn.Linear(2, 2)),
    bad: [() => compress.maskOf(1 as never), () => anyFn(compress.maskOf)(new nn.Linear(2, 2), 1)],
  },
  applyMasks: {
    ok: () => compress.applyMasks(smallCnn()),
    bad: [() => compress.applyMasks('m' as never), () => anyFn(compress.applyMasks)(smallCnn(), 1)],
  },
  addMasks: {
    ok: () => compress.addMasks(smallCnn()),
    bad: [() => compress.addMasks(null as never), () => anyFn(compress.addMasks)(smallCnn(), 1)],
  },
  loadPrunedState: {
    ok: () => {
      const m = smallCnn();
      compress.globalMagnitudePrune(m, { sparsity: 0.5 });
      compress.loadPrunedState(smallCnn(), m.stateDict());
    },
    bad: [
      () => compress.loadPrunedState(smallCnn(), { a: 1 } as never),
      () => compress.loadPrunedState(2 as never, {}),
      () => anyFn(compress.loadPrunedState)(smallCnn(), smallCnn().stateDict(), 1),
    ],
  },
  sparsity: {
    ok: () => compress.sparsity(smallCnn()),
    bad: [() => compress.sparsity([] as never), () => anyFn(compress.sparsity)(smallCnn(), 1)],
  },
  globalMagnitudePrune: {
    ok: () => compress.globalMagnitudePrune(smallCnn(), { sparsity: 0.3 }),
    bad: [
      () => compress.globalMagnitudePrune(smallCnn(), { sparsity: 0.3, ...bogus } as never),
      () => compress.globalMagnitudePrune(smallCnn(), { sparsity: '0.3' } as never),
      () => compress.globalMagnitudePrune(3 as never, { sparsity: 0.3 }),
      () => anyFn(compress.globalMagnitudePrune)(smallCnn(), { sparsity: 0.3 }, 1),
    ],
  },
  channelNorms: {
    ok: () => compress.channelNorms(randn([3, 2, 3, 3])),
    bad: [() => compress.channelNorms(randn([3])), () => anyFn(compress.channelNorms)(randn([3, 2]), 1)],
  },
  channelPlan: {
    ok: () => compress.channelPlan(smallCnn(), { amount: 0.5 }),
    bad: [
      () => compress.channelPlan(smallCnn(), { amount: 0.5, ...bogus } as never),
      () => compress.channelPlan(smallCnn(), { amount: 1 }),
      () => compress.channelPlan(new nn.Linear(2, 2) as never, { amount: 0.5 }),
      () => anyFn(compress.channelPlan)(smallCnn(), { amount: 0.5 }, 1),
    ],
  },
  channelPrune: {
    ok: () => compress.channelPrune(smallCnn(), { amount: 0.5 }),
    bad: [
      () => compress.channelPrune(smallCnn(), { amount: '0.5' } as never),
      () => compress.channelPrune({} as never, { amount: 0.5 }),
      () => anyFn(compress.channelPrune)(smallCnn(), { amount: 0.5 }, 1),
    ],
  },
  zeroPrunedChannels: {
    ok: () => compress.zeroPrunedChannels(smallCnn(), { amount: 0.5 }),
    bad: [
      () => compress.zeroPrunedChannels(smallCnn(), bogus as never),
      () => compress.zeroPrunedChannels(new nn.Linear(2, 2) as never, { amount: 0.5 }),
      () => anyFn(compress.zeroPrunedChannels)(smallCnn(), { amount: 0.5 }, 1),
    ],
  },
  exportOnnx: {
    ok: () => compress.exportOnnx(smallCnn(), { inputShape: ['batch', 1, 28, 28] }),
    bad: [
      () => compress.exportOnnx(smallCnn(), { inputShape: ['batch', 1, 28, 28], ...bogus } as never),
      () => compress.exportOnnx(smallCnn(), { inputShape: 'batch' } as never),
      () => compress.exportOnnx(smallCnn(), { inputShape: [1, 1, 28, 28], inputType: 'int64' } as never),
      () => anyFn(compress.exportOnnx)(smallCnn(), { inputShape: [1, 1, 28, 28] }, 1),
    ],
  },
  registerOnnxConverter: {
    ok: () => compress.registerOnnxConverter(class Walked2 extends nn.Identity {}, (_g, _m, x) => x),
    bad: [
      () => compress.registerOnnxConverter('Linear' as never, (_g, _m, x) => x),
      () => compress.registerOnnxConverter(nn.Identity, 5 as never),
      () => anyFn(compress.registerOnnxConverter)(nn.Identity, (_g: unknown, _m: unknown, x: string) => x, 1),
    ],
  },
  convertModule: {
    ok: () => compress.convertModule(new compress.OnnxGraph(), new nn.ReLU(), 'x', 'relu'),
    bad: [
      () => compress.convertModule({} as never, new nn.ReLU(), 'x', 'relu'),
      () => compress.convertModule(new compress.OnnxGraph(), new nn.ReLU(), 1 as never, 'relu'),
      () => anyFn(compress.convertModule)(new compress.OnnxGraph(), new nn.ReLU(), 'x', 'relu', 1),
    ],
  },
  OnnxGraph: {
    ok: () => new compress.OnnxGraph().node('Relu', ['x']),
    bad: [() => new (anyCtor(compress.OnnxGraph))(1)],
  },
  onnxModelType: {
    ok: () => compress.onnxModelType(),
    bad: [() => anyFn(compress.onnxModelType)(1)],
  },
};

test('every compress export (quantization, distillation, pruning, ONNX) rejects unknown options, wrong types and extra arguments, naming itself', () => {
  walk('compress', compress, { ...compressQuantWalk, ...compressWalk }, '');
});
