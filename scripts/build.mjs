#!/usr/bin/env node
// `npm run build`: only what changed is rebuilt.
//   1. the WebAssembly kernels (scripts/build-wasm.mjs skips asc when the assembly sources hash
//      to the stamp in src/backend/wasm/kernels-bytes.ts);
//   2. outputs in dist/ whose TypeScript source is gone are removed (a deleted test must not run
//      from a stale dist/test/*.test.js), and a missing output of an unchanged source forces a
//      full emit (tsc's incremental state only tracks sources);
//   3. tsc in build mode, incremental through dist/.tsbuildinfo;
//   4. every `bin` of package.json is made executable (tsc writes files without the exec bit).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const buildInfo = join(root, tsconfig.compilerOptions.tsBuildInfoFile ?? 'dist/.tsbuildinfo');
const sourceDirs = tsconfig.include; // src, test, examples, bench
const excluded = (tsconfig.exclude ?? []).map((p) => join(root, p));

function run(args, what) {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`build: ${what} failed`);
    process.exit(r.status ?? 1);
  }
}

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

run([join(root, 'scripts/build-wasm.mjs')], 'build-wasm');

// The TypeScript source an output came from: dist/a/b.js, .js.map, .d.ts, .d.ts.map -> a/b.ts.
const OUTPUT = /\.(js|js\.map|d\.ts|d\.ts\.map)$/;
let removed = 0;
for (const dir of sourceDirs) {
  for (const out of walk(join(dist, dir))) {
    if (!OUTPUT.test(out)) continue;
    const source = join(root, relative(dist, out)).replace(OUTPUT, '.ts');
    if (!existsSync(source)) {
      rmSync(out);
      removed++;
    }
  }
}
if (removed) console.log(`build: removed ${removed} stale file(s) from dist/ whose source is gone`);

// A source newer than the last build is compiled anyway; one older whose output is gone is not,
// since tsc trusts its recorded state: then forget that state.
const builtAt = existsSync(buildInfo) ? statSync(buildInfo).mtimeMs : Infinity;
let missing = null;
for (const dir of sourceDirs) {
  for (const src of walk(join(root, dir))) {
    if (!src.endsWith('.ts') || src.endsWith('.d.ts') || excluded.some((e) => src.startsWith(e + '/') || src === e)) continue;
    const out = join(dist, relative(root, src)).replace(/\.ts$/, '.js');
    if (!existsSync(out) && statSync(src).mtimeMs < builtAt) {
      missing = out;
      break;
    }
  }
  if (missing) break;
}
if (missing && existsSync(buildInfo)) {
  console.log(`build: ${relative(root, missing)} is missing; compiling everything`);
  rmSync(buildInfo);
}

const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
// Build mode decides from timestamps and the recorded root files whether anything changed, so a
// no-change build reads no source (plain `tsc -p` with incremental re-reads all of them).
run([tsc, '-b', join(root, 'tsconfig.json')], 'tsc');

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
for (const b of bins) {
  const p = join(root, b);
  if (!existsSync(p)) {
    console.error(`build: package.json names ${b} as a command, but the build did not write it`);
    process.exit(1);
  }
  chmodSync(p, statSync(p).mode | 0o111);
}
