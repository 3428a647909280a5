#!/usr/bin/env node
// Writes fixtures/word2vec/kjv-analogies.txt (gensim's questions-words format) from the pairs in
// src/models/word2vec/analogies.ts; test/models/word2vec.test.ts checks the two agree.
// Run after `npm run build`: node scripts/word2vec_analogies.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
const { kjvAnalogyQuestions, formatAnalogies } = await import('../dist/src/models/word2vec/index.js');
mkdirSync(new URL('../fixtures/word2vec/', import.meta.url), { recursive: true });
const q = kjvAnalogyQuestions();
writeFileSync(new URL('../fixtures/word2vec/kjv-analogies.txt', import.meta.url), formatAnalogies(q));
console.log(`wrote fixtures/word2vec/kjv-analogies.txt: ${q.length} questions`);
