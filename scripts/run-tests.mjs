#!/usr/bin/env node
// Finds every compiled *.test.js under dist/test and hands them to Node's built-in runner.
// (Node 20 and Node 22+ disagree on how `node --test <dir>` expands, so we list files ourselves.)
//
// One test definition, every backend: the whole suite runs on the default backend ('wasm'), then
// the op suites (gradcheck over the op registry, PyTorch parity, the op families, autograd) run
// again on every other registered backend, selected with SHINSOU_BACKEND. SHINSOU_BACKEND set by
// the caller runs everything on that backend only.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

/** The suites that test ops (and so every backend's kernels); the rest (models, data, io, CLI) run on the default backend. */
const OP_SUITES = [
  'dist/test/parity/',
  'dist/test/registry.test.js',
  'dist/test/autograd.test.js',
  'dist/test/backends.test.js',
  'dist/test/conv.test.js',
  'dist/test/elementwise.test.js',
  'dist/test/errors.test.js',
  'dist/test/indexing.test.js',
  'dist/test/loss.test.js',
  'dist/test/nn.test.js',
  'dist/test/reduce.test.js',
  'dist/test/rnn-fused.test.js',
  'dist/test/shape.test.js',
  'dist/test/tensor.test.js',
];

const filter = process.argv.slice(2);
let files = walk('dist/test', []).sort();
if (filter.length) files = files.filter((f) => filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/test');
  process.exit(1);
}

function run(label, backend, list) {
  if (list.length === 0) return 0;
  console.log(`# run-tests: ${list.length} files on backend '${backend}' (${label})`);
  // A hung test fails after 5 minutes instead of holding CI until its time runs out.
  const r = spawnSync(process.execPath, ['--test', '--test-timeout=300000', ...list], {
    stdio: 'inherit',
    env: { ...process.env, SHINSOU_BACKEND: backend },
  });
  return r.status ?? 1;
}

const chosen = process.env.SHINSOU_BACKEND;
if (chosen) process.exit(run('all suites', chosen, files));

const { listBackends, getBackend } = await import(pathToFileURL(join(process.cwd(), 'dist/src/backend/index.js')).href);
const first = getBackend().name;
let status = run('all suites', first, files);
const opFiles = files.filter((f) => OP_SUITES.some((s) => f.split('\\').join('/').startsWith(s)));
for (const name of listBackends()) {
  if (name === first) continue;
  status = run('op suites', name, opFiles) || status;
}
process.exit(status);
