// The import layering rule (scripts/lint/layering.js): a wrong arrow fails with a message that
// names the rule, the right ones pass, and the table in docs/architecture.md is the rule's table.
// Snippets only, parsed without type information, so it takes well under a second; whether the
// whole of src/ follows the table is `npm run lint`'s job (in .ci/run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { layeringConfig, LAYERS } = (await import(pathToFileURL(join(root, 'scripts/lint/layering.js')).href)) as {
  layeringConfig: Linter.Config;
  LAYERS: Record<string, { may: string[]; node?: boolean }>;
};

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as Linter.Parser } }, layeringConfig],
});

/** The layering messages for `code` as if it were the file src/`file`. */
async function layering(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(root, 'src', file) });
  assert.ok(r);
  const fatal = r.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], `parse errors in the snippet for ${file}`);
  return r.messages.filter((m) => m.ruleId === 'shinsou/layering').map((m) => m.message);
}

async function fails(file: string, code: string, want: RegExp): Promise<void> {
  const msgs = await layering(file, code);
  assert.equal(msgs.length, 1, `${file}: expected one layering error for ${code}, got ${JSON.stringify(msgs)}`);
  assert.match(msgs[0]!, want);
  assert.match(msgs[0]!, /^layering: .*\(docs\/architecture\.md\)$/);
}

test('layering: a wrong arrow fails with a message naming the rule and both layers', async () => {
  await fails(
    'backend/cpu/gemm2.ts',
    "import { record } from '../../autograd/node.js';",
    /^layering: src\/backend must not import src\/autograd \(.*\); src\/backend may import src\/tensor\/dtype, src\/tensor\/shape/,
  );
  await fails('backend/rnn2.ts', "import type { Module } from '../nn/module.js';", /src\/backend must not import src\/nn/);
  await fails('backend/cpu/x.ts', "import { Tensor } from '../../tensor/tensor.js';", /src\/backend must not import src\/tensor/);
  await fails(
    'ops/elementwise/foo.ts',
    "import { Linear } from '../../nn/layers/linear.js';",
    /^layering: src\/ops must not import src\/nn/,
  );
  await fails('games/go/foo.ts', "export { Module } from '../../nn/module.js';", /^layering: src\/games must not import src\/nn/);
  await fails('models/rnn/foo.ts', "import { main } from '../../cli/main.js';", /src\/models is browser-safe and must not import src\/cli/);
  await fails('tensor/foo.ts', "import '../cli/main.js';", /src\/tensor is browser-safe and must not import src\/cli/);
  await fails('nn/foo.ts', "const m = await import('../cli/main.js');", /src\/nn is browser-safe and must not import src\/cli/);
  await fails('train/foo.ts', "import { x } from '../models/rnn/lm.js';", /src\/train must not import src\/models/);
  await fails('metrics/foo.ts', "import { Module } from '../nn/module.js';", /src\/metrics must not import src\/nn/);
});

test('layering: browser-safe code imports neither src/node nor Node modules', async () => {
  await fails(
    'index.ts',
    "export { loadFile } from './node/index.js';",
    /^layering: src\/index is browser-safe and must not import src\/node; Node-only code goes in src\/node/,
  );
  await fails(
    'games/go/foo.ts',
    "import { spawn } from 'node:child_process';",
    /src\/games is browser-safe and must not import the Node module 'node:child_process'/,
  );
  await fails('nn/foo.ts', "import { readFileSync } from 'fs';", /src\/nn is browser-safe and must not import the Node module 'fs'/);
  await fails('io/foo.ts', "import type { Readable } from 'node:stream';", /src\/io is browser-safe/);
  await fails('data/foo.ts', "import { writeFile } from 'fs/promises';", /src\/data is browser-safe/);
});

test('layering: unknown folders and paths out of src/ are refused', async () => {
  const [m] = await layering('newthing/foo.ts', "import { add } from '../ops/index.js';");
  assert.match(m!, /^layering: src\/newthing is not in the layer table; add it to scripts\/lint\/layering\.js and docs\/architecture\.md/);
  await fails(
    'ops/foo.ts',
    "import { x } from '../../test/helpers.js';",
    /src\/ops must not import '\.\.\/\.\.\/test\/helpers\.js' outside src\//,
  );
});

test('layering: the allowed arrows pass', async () => {
  const ok: [string, string][] = [
    [
      'backend/cpu/x.ts',
      "import type { Shape } from '../../tensor/shape.js'; import { gemmRef } from './gemm.js'; import { heapF32 } from '../wasm/loader.js';",
    ],
    ['tensor/x.ts', "import { record } from '../autograd/node.js'; import { copyStrided } from '../backend/cpu/strided.js';"],
    [
      'ops/x.ts',
      "import { Tensor } from '../tensor/tensor.js'; import { record } from '../autograd/node.js'; import { gemm } from '../backend/gemm.js';",
    ],
    ['nn/layers/x.ts', "import { add } from '../../ops/index.js'; import { Module } from '../module.js';"],
    [
      'models/rnn/x.ts',
      "import { LSTM } from '../../nn/index.js'; import { Adam } from '../../optim/index.js'; import { fit } from '../../train/index.js';",
    ],
    ['rl/x.ts', "import { GoGame } from '../games/index.js'; import { Linear } from '../nn/index.js';"],
    ['node/x.ts', "import { readFileSync } from 'node:fs'; import { GoGame } from '../games/index.js'; import { nn } from '../index.js';"],
    ['cli/commands/x.ts', "import { loadFile } from '../../node/index.js'; import { spawn } from 'node:child_process';"],
    ['backend/wasm/pool2.ts', "const wt = 'node:worker_threads'; const m = await import(wt);"],
    ['index.ts', "export * from './ops/index.js'; export * as nn from './nn/index.js';"],
  ];
  for (const [file, code] of ok) assert.deepEqual(await layering(file, code), [], `${file}: ${code}`);
});

test('layering: docs/architecture.md shows the same table as the rule', () => {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const rows = new Map<string, string[]>();
  // Rows of the allowed-imports table: | `src/layer` | `src/a`, `src/b` | ... |
  for (const m of doc.matchAll(/^\| `src\/([a-z]+)` \| ([^|]*) \|/gm)) {
    rows.set(m[1]!, [...m[2]!.matchAll(/`src\/([a-z/]+)`/g)].map((x) => x[1]!).sort());
  }
  const table = new Map(Object.entries(LAYERS).map(([k, v]) => [k, [...v.may].sort()]));
  assert.deepEqual(rows, table);
});
