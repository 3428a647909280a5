#!/usr/bin/env node
// Exports what scripts/translate_torch.py trains on, so PyTorch sees exactly our data: the BPE
// vocabulary learned by the translate-* recipes (same options), the encoded train/valid/test
// pairs, the length-sorted batches, and the order in which our run draws them (the recipe's
// seeded DataLoader), plus the English references of the test books.
//
//   npm run build && node scripts/translate-export.mjs runs/translate-torch-data.json [--key value ...]
//
// Options are the recipe's (translate-transformer), e.g. --epochs 2 --max-batches 80 --merges 2000.
import { writeFileSync } from 'node:fs';
import '../dist/src/models/index.js';
import { getRecipe, recipeOptions } from '../dist/src/train/index.js';
import { translationData } from '../dist/src/models/translation/recipes.js';
import { lengthBatches } from '../dist/src/models/translation/batch.js';
import { DataLoader } from '../dist/src/data/dataloader.js';
import { MapDataset } from '../dist/src/data/dataset.js';
import { loadBibleParallel } from '../dist/src/node/bible-parallel.js';

const [out, ...rest] = process.argv.slice(2);
if (!out) throw new Error('usage: node scripts/translate-export.mjs OUT.json [--option value ...]');
const given = {};
for (let i = 0; i < rest.length; i += 2) {
  const k = rest[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  const v = rest[i + 1];
  given[k] = /^-?[0-9.]+(e-?[0-9]+)?$/.test(v) ? Number(v) : v;
}
const recipe = getRecipe('translate-transformer');
const o = recipeOptions(recipe, given);
const data = loadBibleParallel();
const { splits, vocab } = translationData(o, data);
const runs = lengthBatches(splits.train, o.batchSize);
// the same loader as translationTask: batch indices shuffled per epoch with the run's seed
const loader = new DataLoader(new MapDataset(runs.length, (i) => i), { batchSize: 1, shuffle: true, seed: o.seed, collate: (idx) => idx });
const perEpoch = o.maxBatches ? Math.min(o.maxBatches, loader.length) : loader.length;
const order = [];
let it = loader[Symbol.iterator]();
while (order.length < o.epochs * perEpoch) {
  const r = it.next();
  if (r.done) {
    it = loader[Symbol.iterator]();
    continue;
  }
  order.push(r.value[0]);
}
const ids = (a) => Array.from(a);
writeFileSync(
  out,
  JSON.stringify({
    options: o,
    tokens: vocab.tokens,
    specials: { pad: vocab.pad, unk: vocab.unk, bos: vocab.bos, eos: vocab.eos },
    train: splits.train.map((p) => [ids(p.src), ids(p.tgt)]),
    valid: splits.valid.map((p) => [ids(p.src), ids(p.tgt)]),
    test: splits.test.map((p) => [ids(p.src), ids(p.tgt)]),
    validRefs: splits.validRefs,
    testRefs: splits.testRefs,
    batches: runs,
    order,
  }),
);
console.log(
  `wrote ${out}: ${splits.train.length} training pairs in ${runs.length} batches, ${order.length} steps, vocabulary ${vocab.size}`,
);
