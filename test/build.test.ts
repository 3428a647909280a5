// What `npm run build` leaves behind for users of the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('every bin in package.json is built and executable (npx shinsou runs it directly)', { skip: process.platform === 'win32' }, () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { bin: Record<string, string> };
  for (const [name, file] of Object.entries(pkg.bin)) {
    const mode = statSync(`${root}${file}`).mode;
    assert.equal(mode & 0o111, 0o111, `${name} (${file}) has mode ${mode.toString(8)}, without the exec bits`);
    assert.match(readFileSync(`${root}${file}`, 'utf8'), /^#!\/usr\/bin\/env node\n/, `${file} starts with a node shebang`);
  }
  const r = spawnSync(`${root}${pkg.bin['shinsou']}`, ['--help'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr || String(r.error));
  assert.match(r.stdout, /Usage: shinsou/);
});
