import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every module statically imported from `entry`, with the specifiers that are not relative. */
function staticImports(entry: string): { files: Set<string>; external: Map<string, string> } {
  const files = new Set<string>();
  const external = new Map<string, string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const src = readFileSync(file, 'utf8');
    // Static import/export ... from '...' and bare import '...'; dynamic import() is allowed (guarded at run time).
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else external.set(spec, file);
    }
  };
  visit(entry);
  return { files, external };
}

test('the core entry point (src/index.ts) statically imports no Node-only module, so it runs in browsers', () => {
  const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../src/index.js');
  const { files, external } = staticImports(entry);
  assert.ok(files.size > 50, `followed ${files.size} modules`);
  const builtins = new Set(builtinModules);
  for (const [spec, file] of external) {
    assert.ok(
      !spec.startsWith('node:') && !builtins.has(spec),
      `${file} imports the Node module '${spec}'; put Node-only code in src/node`,
    );
  }
  assert.deepEqual(
    [...files].filter((f) => f.includes('/src/node/') || f.includes('/src/cli/')),
    [],
  );
});

test('the games entry point (shinsou/games) is browser-safe too', () => {
  const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../src/games/index.js');
  const { files, external } = staticImports(entry);
  assert.ok(files.size > 10, `followed ${files.size} modules`);
  const builtins = new Set(builtinModules);
  for (const [spec, file] of external) {
    assert.ok(
      !spec.startsWith('node:') && !builtins.has(spec),
      `${file} imports the Node module '${spec}'; export it from src/node instead`,
    );
  }
});
