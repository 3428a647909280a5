#!/usr/bin/env node
// Compares word-vector sets: ours (the model.safetensors of `shinsou train word2vec` runs) and
// gensim's (vectors.txt of scripts/word2vec_gensim.py), all evaluated by the same TypeScript code:
//   - 3CosAdd accuracy on fixtures/word2vec/kjv-analogies.txt (per section too);
//   - top-10 nearest-neighbour overlap, for every couple of sets, over the 200 most frequent
//     content words (not in KJV_STOP_WORDS) of the first set's vocabulary;
//   - with --svg, the PCA picture of selected words from the first set.
// Run after `npm run build`:
//   node scripts/word2vec_compare.mjs ours=runs/w2v/model.safetensors gensim=runs/gensim/vectors.txt \
//     [ours-seed1=...] [gensim-seed1=...] [--json docs/word2vec-results.json] [--svg docs/img/word2vec/pca.svg]
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const dist = new URL('../dist/src/', import.meta.url);
const w2v = await import(new URL('models/word2vec/index.js', dist).href);
const { loadWordVectors } = await import(new URL('cli/commands/word2vec.js', dist).href);
const { scatterSvg } = await import(new URL('node/plot.js', dist).href);

function readGensimText(path) {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const [V, d] = lines[0].split(' ').map(Number);
  const words = [];
  const vectors = new Float32Array(V * d);
  for (let r = 0; r < V; r++) {
    const parts = lines[r + 1].trim().split(' ');
    words.push(parts[0]);
    for (let i = 0; i < d; i++) vectors[r * d + i] = Number(parts[i + 1]);
  }
  return new w2v.WordVectors(words, vectors, d);
}

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const jsonOut = flag('--json');
const svgOut = flag('--svg');
const sets = args.map((a) => {
  const [label, path] = a.split('=');
  if (!label || !path) throw new Error(`word2vec_compare: expected label=path, got '${a}'`);
  return { label, path, wv: path.endsWith('.txt') ? readGensimText(path) : loadWordVectors(path, 'word2vec_compare') };
});
if (sets.length < 1) throw new Error('word2vec_compare: give at least one label=path');

const questions = w2v.kjvAnalogyQuestions();
const content = w2v.contentWords(sets[0].wv.words, 200).filter((w) => sets.every((s) => s.wv.has(w)));
const result = { questions: questions.length, contentWords: content, analogies: {}, overlap: {} };
for (const s of sets) result.analogies[s.label] = w2v.analogyAccuracy(s.wv, questions);
for (let i = 0; i < sets.length; i++)
  for (let j = i + 1; j < sets.length; j++)
    result.overlap[`${sets[i].label} vs ${sets[j].label}`] = w2v.neighbourOverlap(sets[i].wv, sets[j].wv, content, 10).mean;

console.log(`analogy accuracy (3CosAdd, ${questions.length} questions):`);
for (const s of sets) {
  const a = result.analogies[s.label];
  const sec = Object.entries(a.sections)
    .map(([k, v]) => `${k} ${((100 * v.correct) / v.answered).toFixed(1)}`)
    .join(', ');
  console.log(`  ${s.label}: ${(100 * a.accuracy).toFixed(1)}% (${a.correct}/${a.answered}) | ${sec}`);
}
console.log(`top-10 neighbour overlap over ${content.length} content words:`);
for (const [k, v] of Object.entries(result.overlap)) console.log(`  ${k}: ${(100 * v).toFixed(1)}%`);

if (jsonOut) {
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
}

if (svgOut) {
  const groups = {
    people: ['abraham', 'isaac', 'jacob', 'joseph', 'moses', 'aaron', 'david', 'solomon', 'saul', 'samuel'],
    places: ['egypt', 'babylon', 'jerusalem', 'assyria', 'moab', 'edom', 'canaan', 'syria', 'samaria', 'jordan'],
    family: ['father', 'mother', 'son', 'daughter', 'brother', 'sister', 'husband', 'wife'],
    'verbs (present/past)': ['go', 'went', 'come', 'came', 'speak', 'spake', 'see', 'saw', 'give', 'gave'],
    things: ['bread', 'wine', 'water', 'gold', 'silver', 'sword', 'bow', 'spear'],
  };
  const wv = sets[0].wv;
  const entries = Object.entries(groups).flatMap(([group, words]) => words.filter((w) => wv.has(w)).map((w) => ({ group, w })));
  const rows = entries.map(({ w }) => {
    const id = wv.id(w);
    return wv.unit.subarray(id * wv.dim, (id + 1) * wv.dim);
  });
  const xy = w2v.pca2(rows);
  const points = entries.map((e, i) => ({ x: xy[i][0], y: xy[i][1], label: e.w, group: e.group }));
  mkdirSync(dirname(svgOut), { recursive: true });
  writeFileSync(
    svgOut,
    await scatterSvg(points, `word2vec on the KJV (${sets[0].label}): unit vectors on their first two principal components`, [
      'PC 1',
      'PC 2',
    ]),
  );
  console.log(`wrote ${svgOut}`);
}
