// The core entry point must run in browsers: no static import of a Node built-in anywhere in its
// module graph. Node-only code (files, data sets, processes, the CLI) sits behind other entry points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const distSrc = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const staticImport = /^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const specs: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(staticImport)) specs.push((m[1] ?? m[2])!);
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) stack.push(resolve(dirname(file), s));
  }
  return seen;
}

for (const entry of ['index.js']) {
  test(`${entry} reaches no Node built-in through static imports`, () => {
    const file = join(distSrc, entry);
    assert.ok(existsSync(file), `${file} is built`);
    const g = graph(file);
    assert.ok(g.size > 5, `walked ${g.size} modules`);
    const offenders = [...g].flatMap(([f, specs]) =>
      specs.filter((s) => s.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'worker_threads'].includes(s)).map((s) => `${f.slice(distSrc.length + 1)} imports ${s}`),
    );
    assert.deepEqual(offenders, []);
  });
}
