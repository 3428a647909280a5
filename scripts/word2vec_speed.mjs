#!/usr/bin/env node
// Training speed of our word2vec against gensim's, side by side: rounds alternate ours and gensim
// (one thread each: our kernel is single-threaded, gensim runs workers=1) on the same tokens and
// options, so the load of a shared machine falls on both alike. Words per second count raw corpus
// words (epochs x 789,684 for the KJV), over model training only (vocabulary and table building
// excluded on both sides), by the wall clock and by the process's CPU time (the fairer figure on a
// busy machine: it leaves out the time other processes held the cores).
// Run after `npm run build`:
//   node scripts/word2vec_speed.mjs [--rounds 3] [--epochs 1] [--modes skipgram,cbow] [--json FILE]
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const dist = new URL('../dist/src/', import.meta.url);
const lib = await import(new URL('index.js', dist).href);
const w2v = await import(new URL('models/word2vec/index.js', dist).href);
const { loadKjv } = await import(new URL('node/kjv.js', dist).href);

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : args[i + 1];
};
const rounds = Number(flag('--rounds', 3));
const epochs = Number(flag('--epochs', 1));
const modes = flag('--modes', 'skipgram,cbow').split(',');
const jsonOut = flag('--json', undefined);
lib.setNumThreads(1);

const { verses } = await loadKjv();
const sentences = verses.map((v) => w2v.tokenizeVerse(v.text)).filter((s) => s.length > 0);
const dir = mkdtempSync(join(tmpdir(), 'shinsou-w2v-speed-'));
const corpusFile = join(dir, 'corpus.txt');
writeFileSync(corpusFile, `${sentences.map((s) => s.join(' ')).join('\n')}\n`);
const vocab = w2v.Word2VecVocab.build(sentences, 5);
const corpus = vocab.encode(sentences);
const rawWords = corpus.raw.reduce((a, b) => a + b, 0);
const options = { window: 5, negatives: 5, sample: 1e-3, alpha: 0.025, minAlpha: 0.0001, epochs, seed: 0 };

function ours(mode) {
  lib.manualSeed(0);
  const model = new w2v.Word2Vec({ vocabSize: vocab.size, dim: 100 });
  const { task } = w2v.word2vecTask(model, vocab, corpus, { ...options, mode });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let e = 0; e < epochs; e++) for (let b = 0; b < task.stepsPerEpoch; b++) task.trainStep({ epoch: e, batch: b, step: b });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wallSeconds: wall, cpuSeconds: (c.user + c.system) / 1e6 };
}

function gensim(mode) {
  const script = new URL('word2vec_gensim.py', import.meta.url).pathname;
  const r = spawnSync(
    '/usr/bin/python3',
    [script, corpusFile, join(dir, 'gensim'), '--mode', mode, '--epochs', String(epochs), '--seed', '0', '--no-vectors'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`word2vec_speed: gensim failed: ${r.stderr}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  return { wallSeconds: j.wallSeconds, cpuSeconds: j.cpuSeconds };
}

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const words = rawWords * epochs;
const result = { rawWords, epochs, rounds, modes: {} };
for (const mode of modes) {
  const rows = [];
  for (let r = 0; r < rounds; r++) {
    // alternate which goes first, so neither always meets the same phase of the machine's load
    const pair =
      r % 2 === 0
        ? { ours: ours(mode), gensim: gensim(mode) }
        : (() => {
            const g = gensim(mode);
            return { ours: ours(mode), gensim: g };
          })();
    rows.push(pair);
    console.log(
      `${mode} round ${r + 1}: ours ${(words / pair.ours.wallSeconds / 1e3).toFixed(0)}k words/s wall, ${(words / pair.ours.cpuSeconds / 1e3).toFixed(0)}k per CPU s | ` +
        `gensim ${(words / pair.gensim.wallSeconds / 1e3).toFixed(0)}k wall, ${(words / pair.gensim.cpuSeconds / 1e3).toFixed(0)}k per CPU s`,
    );
  }
  const m = {
    oursWordsPerSecond: median(rows.map((p) => words / p.ours.wallSeconds)),
    oursWordsPerCpuSecond: median(rows.map((p) => words / p.ours.cpuSeconds)),
    gensimWordsPerSecond: median(rows.map((p) => words / p.gensim.wallSeconds)),
    gensimWordsPerCpuSecond: median(rows.map((p) => words / p.gensim.cpuSeconds)),
    ratioWall: median(rows.map((p) => p.gensim.wallSeconds / p.ours.wallSeconds)),
    ratioCpu: median(rows.map((p) => p.gensim.cpuSeconds / p.ours.cpuSeconds)),
    rounds: rows,
  };
  result.modes[mode] = m;
  console.log(
    `${mode}: ours / gensim words per second, median of ${rounds} rounds: ${m.ratioWall.toFixed(2)}x (wall), ${m.ratioCpu.toFixed(2)}x (CPU time)`,
  );
}
if (jsonOut) {
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
}
