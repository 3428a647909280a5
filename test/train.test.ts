import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Generator, Tensor, randn, manualSeed, nn, optim, mseLoss } from '../src/index.js';
import { runCustomLoops, corridorTask } from '../examples/custom-loops.js';
import '../src/models/index.js';
import '../src/rl/recipes.js';
import '../src/compress/recipes.js';
import type { TrainedModelData } from '../src/compress/recipes.js';
import { cnn } from '../src/models/classifier/models.js';
import {
  Trainer,
  prepareRecipe,
  encodeSnapshot,
  decodeSnapshot,
  listRecipes,
  getRecipe,
  recipeOptions,
  optimizeStep,
  resolveOptions,
  intOption,
  type TrainerSnapshot,
} from '../src/train/index.js';
import type { KjvData } from '../src/models/rnn/recipes.js';
import type { WesnothData } from '../src/models/dialogue/recipes.js';
import type { TranslationData } from '../src/models/translation/recipes.js';
import { runTrain } from '../src/cli/commands/train.js';

/** n 28x28 images whose class is a bright row, plus noise. */
function images(n: number, seed: number): { images: Tensor; labels: Tensor } {
  const g = new Generator(seed);
  const labels = Int32Array.from({ length: n }, () => g.int(0, 10));
  const px = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 784; j++) px[i * 784 + j] = g.random() * 0.2;
    for (let c = 0; c < 28; c++) px[i * 784 + (2 * labels[i]! + 4) * 28 + c] = 1;
  }
  return { images: new Tensor(px, [n, 1, 28, 28]), labels: new Tensor(labels, [n]) };
}

/** Fashion-style data with a 'trained' cnn (fixed random weights) in place of a run folder. */
function withTrained(d: { train: { images: Tensor; labels: Tensor }; test: { images: Tensor; labels: Tensor } }): TrainedModelData {
  manualSeed(11);
  const state = cnn().stateDict();
  return {
    ...d,
    trained: {
      recipe: 'cnn',
      path: 'generated',
      build: () => {
        const m = cnn();
        m.loadStateDict(state);
        return m.eval();
      },
    },
  };
}

/** A KjvData over generated verses (the split ignores the book names). */
function tinyKjv(): KjvData {
  const sents = ['And he said unto them, Follow me.', 'And they went into the city.', 'Blessed are the meek.', 'And Jesus answered.'];
  const text = (k: number, n: number) => Array.from({ length: n }, (_, i) => sents[(i * k + 1) % sents.length]).join('\n');
  return { source: 'generated', split: () => ({ train: text(1, 24), valid: text(3, 8), test: text(2, 8) }) };
}

/** A WesnothData of three generated campaigns (one scene each) named Train, Valid and Test. */
function tinyWesnoth(): WesnothData {
  const lines = ['Onward, men!', 'The orcs are coming.', 'Hold the line!', 'We must flee to the east.', 'Who goes there?', 'A friend.'];
  const campaign = (name: string, n: number, k: number) => ({
    name,
    turns: Array.from({ length: n }, (_, i) => ({
      speaker: i % 2 ? 'Konrad' : 'Delfador',
      text: lines[(i * k) % lines.length]!,
      scene: Math.floor(i / 5),
      source: `${name}.cfg`,
    })),
  });
  return { source: 'generated', campaigns: [campaign('Train', 30, 1), campaign('Valid', 10, 5), campaign('Test', 10, 1)] };
}
const tinyDialogue = {
  epochs: 2,
  batchSize: 4,
  embed: 6,
  hidden: 8,
  context: 8,
  latent: 3,
  vocab: 30,
  maxLen: 6,
  klAnneal: 5,
  trainCampaigns: 'Train',
  validCampaigns: 'Valid',
  testCampaigns: 'Test',
};

/** A TranslationData of generated verse pairs: Genesis for training, Ruth for validation, Mark for test. */
function tinyBible(): TranslationData {
  const es = ['Y dijo Dios: Sea la luz.', 'Y fué la luz.', 'Jesús lloró.', 'Y vió Dios que era bueno.', 'Y llamó Dios á la luz Día.'];
  const en = [
    'God said, “Let there be light.”',
    'There was light.',
    'Jesus wept.',
    'God saw that it was good.',
    'God called the light “day.”',
  ];
  const book = (b: string, n: number, k: number) =>
    Array.from({ length: n }, (_, i) => ({ book: b, chapter: 1, verse: i + 1, es: es[(i * k) % 5]!, en: en[(i * k) % 5]! }));
  return { source: 'generated', pairs: [...book('Gen', 20, 1), ...book('Ruth', 4, 2), ...book('Mark', 4, 3)] };
}
const tinyTranslation = {
  epochs: 2,
  batchSize: 4,
  embed: 8,
  hidden: 16,
  heads: 2,
  layers: 1,
  merges: 30,
  maxLen: 12,
  warmup: 3,
  validBooks: 'Ruth',
  testBooks: 'Mark',
  beam: 2,
  seed: 3,
};

const withoutSeconds = (s: TrainerSnapshot) => ({ ...s.meta, history: s.meta.history.map((e) => ({ ...e, seconds: 0 })) });

/** Runs straight, and stopped at killAt + restored from encoded bytes in a "new process"; compares bit for bit. */
async function checkResume(recipe: string, options: Record<string, unknown>, data: unknown, killAt: number): Promise<void> {
  const straight = prepareRecipe(recipe, options, data);
  const a = await straight.trainer.fit();
  assert.ok(straight.trainer.step > killAt, `${recipe}: the run has ${straight.trainer.step} steps, kill at ${killAt}`);
  let bytes: Uint8Array | null = null;
  const first = prepareRecipe(recipe, options, data, [{ onStep: (t, s) => (s.step === killAt ? 'stop' : undefined) }]);
  assert.equal((await first.trainer.fit()).finished, false);
  bytes = encodeSnapshot(first.trainer.snapshot());
  randn([37]); // a new process starts from another global RNG state
  const second = prepareRecipe(recipe, options, data);
  second.trainer.restore(decodeSnapshot(bytes));
  const b = await second.trainer.fit();
  assert.deepEqual(b, a, `${recipe}: final metrics`);
  const sa = straight.trainer.snapshot();
  const sb = second.trainer.snapshot();
  assert.deepEqual(Object.keys(sb.tensors).sort(), Object.keys(sa.tensors).sort());
  for (const [k, t] of Object.entries(sa.tensors))
    assert.deepEqual(sb.tensors[k]!.data, t.data, `${recipe}: ${k} differs after resuming at step ${killAt}`);
  assert.deepEqual(withoutSeconds(sb), withoutSeconds(sa), `${recipe}: counters, RNG, optimizer steps, schedules, history`);
}

test('resume, every recipe: killed mid-epoch and resumed from the snapshot bytes, the run ends bit for bit as the straight one', async () => {
  const fashion = { train: images(40, 1), test: images(12, 2) };
  const rl = { epochs: 2, envs: 2, hidden: '8', evalEpisodes: 2, target: 1e9, seed: 5 };
  const cases: [string, Record<string, unknown>, unknown, number][] = [
    ['mlp', { epochs: 2, batchSize: 16, seed: 3 }, fashion, 4],
    ['cnn', { epochs: 2, batchSize: 16, seed: 3, limit: 32 }, fashion, 3],
    ['word-lstm', { epochs: 3, batchSize: 2, bptt: 6, hidden: 8, embed: 6, dropout: 0.2, vocab: 20, lr: 5 }, tinyKjv(), 7],
    ['char-lstm', { epochs: 2, batchSize: 3, bptt: 12, hidden: 8, embed: 4, dropout: 0.1, maxBatches: 5 }, tinyKjv(), 7],
    ['adding', { epochs: 2, epochSteps: 6, seqLen: 8, hidden: 4, evalEvery: 4, stopBelow: 0 }, null, 5],
    ['binary-addition', { epochs: 3, epochSteps: 5, hidden: 4 }, null, 8],
    // RL: the environments' states, the replay buffer and the sampling generators are task state.
    ['rl-cartpole', { ...rl, algo: 'ppo', epochSteps: 192 }, null, 4],
    ['rl-cartpole', { ...rl, algo: 'a2c', epochSteps: 40 }, null, 5],
    ['rl-cartpole', { ...rl, algo: 'reinforce', epochSteps: 4000 }, null, 3],
    ['rl-cartpole', { ...rl, algo: 'dqn', epochSteps: 1536 }, null, 5],
    ['rl-cartpole', { ...rl, algo: 'ddqn', epochSteps: 1536 }, null, 4],
    ['rl-mountaincar', { ...rl, algo: 'dqn', epochSteps: 1280 }, null, 70],
    ['rl-mountaincar', { ...rl, algo: 'ppo', epochSteps: 512 }, null, 3],
    ['word2vec', { epochs: 2, dim: 6, window: 2, negatives: 2, minCount: 1, sample: 0.05, chunkWords: 20 }, tinyKjv(), 5],
    ['ae', { epochs: 2, batchSize: 16, latent: 4, hidden: 16, seed: 3 }, fashion, 4],
    ['conv-ae', { epochs: 2, batchSize: 16, latent: 3, seed: 3, limit: 32 }, fashion, 3],
    ['vae', { epochs: 2, batchSize: 16, latent: 2, hidden: 16, seed: 3 }, fashion, 4],
    ['conv-vae', { epochs: 2, batchSize: 16, latent: 3, seed: 3, limit: 32, decoder: 'gaussian' }, fashion, 3],
    ['dialogue-seq2seq', tinyDialogue, tinyWesnoth(), 4],
    ['hred', tinyDialogue, tinyWesnoth(), 5],
    ['vhred', { ...tinyDialogue, wordDrop: 0.25 }, tinyWesnoth(), 5],
    ['translate-seq2seq', tinyTranslation, tinyBible(), 6],
    ['translate-transformer', tinyTranslation, tinyBible(), 7],
    // the encoder-decoders: batch order (and, for the dates, the length buckets) in the task state
    [
      'seq2seq-addition',
      { epochs: 2, batchSize: 16, pairs: 120, hidden: 8, embed: 4, evalLimit: 10, variant: 'reversed-peeky', dropout: 0.1 },
      null,
      9,
    ],
    [
      'attention-dates',
      { epochs: 2, batchSize: 8, trainSize: 40, validSize: 10, hidden: 8, embed: 4, attention: 'additive', schedule: 'cosine' },
      null,
      5,
    ],
    // The CNN recipes (src/models/cnn/recipes.ts) at their smallest depths and widths; augmentation and dropout on.
    ['resnet20', { epochs: 2, batchSize: 16, seed: 3, limit: 32, depth: 8 }, fashion, 3],
    ['preact-resnet', { epochs: 2, batchSize: 16, seed: 3, limit: 32, depth: 8 }, fashion, 3],
    ['wrn-16-4', { epochs: 2, batchSize: 16, seed: 3, limit: 32, depth: 10, widen: 1 }, fashion, 3],
    ['pyramidnet', { epochs: 2, batchSize: 16, seed: 3, limit: 32, depth: 8, alpha: 4 }, fashion, 3],
    ['densenet-bc', { epochs: 2, batchSize: 16, seed: 3, limit: 32, depth: 10, growth: 4 }, fashion, 3],
    ['mobilenet-v1', { epochs: 2, batchSize: 16, seed: 3, limit: 32, alpha: 0.125 }, fashion, 3],
    ['mobilenet-v2', { epochs: 2, batchSize: 16, seed: 3, limit: 32, widthMult: 0.125 }, fashion, 3],
    ['gan', { epochs: 2, batchSize: 8, latent: 6, seed: 3, limit: 24 }, fashion, 4],
    ['dcgan', { epochs: 2, batchSize: 8, latent: 6, features: 4, seed: 3, limit: 16 }, fashion, 3],
    // Compression (src/compress/recipes.ts): a generated 'trained' cnn stands for the run folder.
    ['cnn-small', { epochs: 2, batchSize: 16, seed: 3, limit: 32 }, fashion, 3],
    ['distill', { epochs: 2, batchSize: 16, seed: 3, limit: 32, temperature: 3, alpha: 0.7 }, withTrained(fashion), 3],
    ['prune', { epochs: 3, batchSize: 16, seed: 3, limit: 32, sparsity: 0.8 }, withTrained(fashion), 4],
    ['prune', { epochs: 2, batchSize: 16, seed: 3, limit: 32, method: 'channel', amount: 0.5 }, withTrained(fashion), 3],
  ];
  const covered = new Set(cases.map((c) => c[0]));
  for (const r of listRecipes()) assert.ok(covered.has(r.name), `recipe ${r.name} has a resume case`);
  for (const [name, o, data, killAt] of cases) await checkResume(name, o, data, killAt);
});

test('word-lstm: the plateau decay divides the learning rate when validation stops improving, and resume keeps it', async () => {
  const run = prepareRecipe('word-lstm', { epochs: 4, batchSize: 2, bptt: 6, hidden: 8, embed: 6, vocab: 20, lr: 40 }, tinyKjv());
  await run.trainer.fit();
  const h = run.trainer.history;
  for (let i = 1; i < h.length; i++) {
    const improved = h[i - 1]!.eval['validLoss']! < Math.min(...h.slice(0, i - 1).map((e) => e.eval['validLoss']!), Infinity);
    assert.equal(h[i]!.lr['sgd'], improved ? h[i - 1]!.lr['sgd'] : h[i - 1]!.lr['sgd']! / 4, `epoch ${i + 1}`);
  }
});

test('Trainer: a GAN-style step with two optimizers, and early stopping on a target', async () => {
  const g = new nn.Linear(2, 2);
  const d = new nn.Linear(2, 1);
  const optG = new optim.Adam(g.parameters(), { lr: 1e-2 });
  const optD = new optim.Adam(d.parameters(), { lr: 1e-2 });
  const trainer = new Trainer(
    {
      modules: { g, d },
      optimizers: { g: optG, d: optD },
      stepsPerEpoch: 3,
      trainStep: () => {
        const z = randn([4, 2]);
        const lossD = optimizeStep(optD, mseLoss(d.forward(g.forward(z).detach()), randn([4, 1])));
        const lossG = optimizeStep(optG, mseLoss(d.forward(g.forward(z)), randn([4, 1])));
        return { loss: lossD + lossG, totals: { lossG } };
      },
      evaluate: () => ({ score: 1 }),
    },
    { epochs: 5, monitor: 'score', mode: 'max', earlyStopping: { target: 1 } },
  );
  const r = await trainer.fit();
  assert.deepEqual([r.finished, r.stoppedEarly, trainer.step], [true, true, 3]);
  assert.ok(Object.keys(trainer.snapshot().tensors).some((k) => k.startsWith('optim.d.')));
});

test('Trainer and recipes refuse what they do not understand, naming the function, the argument and what was expected', () => {
  const task = { stepsPerEpoch: 1, trainStep: () => ({ loss: 0 }) };
  assert.throws(() => new Trainer(task, { epochs: 1, epoch: 2 } as never), /Trainer options: unknown option 'epoch' \(known: epochs,/);
  assert.throws(() => new Trainer(task, { epochs: 0 }), /Trainer: epochs must be an integer >= 1, got the number 0/);
  assert.throws(
    () => new Trainer(task, { epochs: 1, callbacks: [{ onStpe: () => {} } as never] }),
    /Trainer callbacks\[0\]: unknown option 'onStpe'/,
  );
  assert.throws(() => new Trainer(task, { epochs: 1, earlyStopping: { patience: 1 } }), /need a monitor/);
  assert.throws(
    () => recipeOptions(getRecipe('mlp'), { epochs: '3' }),
    /recipe 'mlp': option 'epochs' must be an integer in \[1, 100000\], got '3'/,
  );
  assert.throws(
    () => recipeOptions(getRecipe('mlp'), { epoch: 3 }),
    /recipe 'mlp': unknown option 'epoch' \(known: epochs, batchSize, lr, seed, limit\)/,
  );
  assert.throws(
    () => recipeOptions(getRecipe('char-lstm'), { optimizer: 'adamw' }),
    /option 'optimizer' must be one of sgd, adam, got 'adamw'/,
  );
  assert.throws(
    () => resolveOptions('f', { n: intOption(1, 'n', { min: 1 }) }, { n: 1e20 }),
    /f: option 'n' must be an integer in \[1, 1000000000\], got the number 100000000000000000000/,
  );
  assert.throws(() => prepareRecipe('mlp', { lr: -1 }, null), /option 'lr' must be a finite number > 0, got the number -1/);
});

const quiet = { print: () => {}, progress: false } as const;
const tiny = { epochs: 1, epochSteps: 4, seqLen: 6, hidden: 3, evalEvery: 2 };

test('issue 11: --out on an existing run folder is refused unless --resume or --overwrite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-out-'));
  try {
    const out = join(dir, 'run');
    await runTrain('adding', { options: tiny, out, ...quiet });
    const before = readFileSync(join(out, 'metrics.json'));
    await assert.rejects(
      runTrain('adding', { options: tiny, out, ...quiet }),
      /the run folder .*run already holds files; pass --resume .*checkpoint.safetensors to continue it, --overwrite/,
    );
    assert.deepEqual(readFileSync(join(out, 'metrics.json')), before);
    await runTrain('adding', { options: { ...tiny, seed: 1 }, out, overwrite: true, ...quiet });
    assert.notDeepEqual(readFileSync(join(out, 'metrics.json')), before);
    mkdirSync(join(dir, 'empty'));
    await runTrain('adding', { options: tiny, out: join(dir, 'empty'), ...quiet });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('issue 11: epochs 0, batch size 0, negative and 1e20 values are refused before any folder is made', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-bad-'));
  try {
    const out = join(dir, 'run');
    await assert.rejects(
      runTrain('adding', { options: { ...tiny, epochs: 0 }, out, ...quiet }),
      /recipe 'adding': option 'epochs' must be an integer in \[1, 100000], got the number 0/,
    );
    await assert.rejects(
      runTrain('adding', { options: { ...tiny, batchSize: 0 }, out, ...quiet }),
      /option 'batchSize' must be an integer in \[1,/,
    );
    await assert.rejects(
      runTrain('adding', { options: { ...tiny, batchSize: -3 }, out, ...quiet }),
      /option 'batchSize' must be an integer in \[1, .*got the number -3/,
    );
    await assert.rejects(
      runTrain('adding', { options: { ...tiny, epochs: 1e20 }, out, ...quiet }),
      /option 'epochs' must be an integer in \[1, 100000\]/,
    );
    assert.equal(existsSync(out), false, 'no run folder after a refused run');
    await assert.rejects(
      runTrain('adding', { options: tiny, out, ...quiet, offline: true } as never),
      /runTrain: unknown option 'offline'/,
    );
    writeFileSync(join(dir, 'not-a-checkpoint'), 'x');
    await assert.rejects(runTrain('adding', { resume: join(dir, 'not-a-checkpoint'), ...quiet }), /loadSnapshot|safetensors/);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('issue 11: a loss that becomes non-finite stops the run at that step with advice, keeps the last good checkpoint, and exits non-zero', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-nan-'));
  try {
    const out = join(dir, 'run');
    // lr 1e30 sends the weights to infinity within a few steps; checkpoints every step before that.
    const err = await runTrain('adding', {
      options: { ...tiny, lr: 1e30, epochSteps: 50, evalEvery: 50 },
      checkpointEvery: 1,
      out,
      ...quiet,
    }).then(
      () => null,
      (e: Error) => e,
    );
    assert.ok(err, 'the run must fail');
    assert.match(
      err.message,
      /train adding: the loss became (NaN|Infinity) at step (\d+) \(epoch 1, batch \d+\); training stopped\. Try a lower learning rate or gradient clipping \(e\.g\. --lr 1\.0e\+29 or a smaller --clip\)/,
    );
    const step = Number(/at step (\d+)/.exec(err.message)![1]);
    if (step > 1) {
      assert.match(err.message, new RegExp(`the last good checkpoint \\(step ${step - 1}\\) is .*checkpoint.safetensors`));
      const snap = decodeSnapshot(new Uint8Array(readFileSync(join(out, 'checkpoint.safetensors'))));
      assert.equal(snap.meta.step, step - 1);
      for (const t of Object.values(snap.tensors))
        assert.ok([...(t.data as Float32Array)].every(Number.isFinite), 'the kept checkpoint is finite');
    } else assert.match(err.message, /no checkpoint was written before it/);
    const cli = spawnSync(
      process.execPath,
      [
        'dist/src/cli/main.js',
        'train',
        'adding',
        '--lr',
        '1e30',
        '--epochs',
        '1',
        '--epoch-steps',
        '40',
        '--seq-len',
        '6',
        '--hidden',
        '3',
        '--out',
        join(dir, 'cli'),
        '--no-progress',
      ],
      { encoding: 'utf8' },
    );
    assert.notEqual(cli.status, 0, cli.stdout + cli.stderr);
    assert.match(cli.stderr, /the loss became (NaN|Infinity) at step \d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shinsou train --list, RECIPE --help, unknown recipes and bad flags: generated from the registry', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { encoding: 'utf8' });
  const list = run('train', '--list');
  assert.equal(list.status, 0, list.stderr);
  for (const r of listRecipes()) {
    assert.match(list.stdout, new RegExp(`^${r.name} +${r.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    assert.ok(list.stdout.includes(`data: ${r.data.description}`));
  }
  const help = run('train', 'mlp', '--help');
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /--batch-size <value> +mini-batch size \(default 128; an integer in \[1,\s+1000000\]\)/);
  assert.match(help.stdout, /--resume <checkpoint>/);
  const foo = run('train', 'foo');
  assert.notEqual(foo.status, 0);
  assert.ok(
    foo.stderr.includes(
      `unknown recipe 'foo': expected one of ${listRecipes()
        .map((r) => r.name)
        .join(', ')}`,
    ),
    foo.stderr,
  );
  const bs = run('train', 'adding', '--batch-size', '0');
  assert.notEqual(bs.status, 0);
  assert.match(bs.stderr, /shinsou train adding: option '--batch-size' must be an integer in \[1, 1000000000\], got '0'/);
  const threads = run('train', 'adding', '--threads', '0');
  assert.match(threads.stderr, /--threads must be an integer in \[1, 64\], got '0'/);
  const tooMany = run('train', 'adding', '--threads', '65'); // the pool's control block holds 64
  assert.notEqual(tooMany.status, 0);
  assert.match(tooMany.stderr, /--threads must be an integer in \[1, 64\], got '65'/);
});

test('docs/training.md sketches: the GAN and the REINFORCE corridor run on the Trainer, and the RL loop resumes bit for bit', async () => {
  const r = await runCustomLoops(2, 15);
  assert.ok(Number.isFinite(r.fakeMean) && r.winRate >= 0 && r.winRate <= 1);
  manualSeed(4);
  const straight = new Trainer(corridorTask(6, 3), { epochs: 2 });
  await straight.fit();
  manualSeed(4);
  const first = new Trainer(corridorTask(6, 3), { epochs: 2, callbacks: [{ onStep: (_t, s) => (s.step === 8 ? 'stop' : undefined) }] });
  await first.fit();
  const bytes = encodeSnapshot(first.snapshot());
  manualSeed(9);
  const second = new Trainer(corridorTask(6, 3), { epochs: 2 });
  second.restore(decodeSnapshot(bytes));
  await second.fit();
  const a = straight.snapshot();
  const b = second.snapshot();
  for (const [k, t] of Object.entries(a.tensors)) assert.deepEqual(b.tensors[k]!.data, t.data, k);
  assert.deepEqual(withoutSeconds(b), withoutSeconds(a));
});
