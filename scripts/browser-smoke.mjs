#!/usr/bin/env node
// Runs the core entry point in headless Chromium (Debian's `chromium`): serves the built package on
// loopback with cross-origin isolation (so SharedArrayBuffer threads are allowed), trains a small
// network in the page and prints what the page reports. Usage: npm run build && node scripts/browser-smoke.mjs
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const root = process.cwd();
const page = `<!doctype html><meta charset="utf-8"><title>pending</title><pre id="out"></pre>
<script type="module">
const out = document.getElementById('out');
try {
  const { nn, optim, manualSeed, rand, mseLoss, getNumThreads } = await import('/dist/src/index.js');
  manualSeed(0);
  const x = rand([128, 1]).mul(2).sub(1);
  const y = x.mul(3).sin();
  const model = new nn.Sequential(new nn.Linear(1, 32), new nn.Tanh(), new nn.Linear(32, 1));
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  const losses = [];
  for (let step = 0; step < 300; step++) {
    opt.zeroGrad();
    const loss = mseLoss(model.forward(x), y);
    loss.backward();
    opt.step();
    if (step % 100 === 0 || step === 299) losses.push(loss.item().toFixed(5));
  }
  out.textContent = 'OK isolated=' + self.crossOriginIsolated + ' threads=' + (typeof getNumThreads === 'function' ? getNumThreads() : 'n/a') + ' losses=' + losses.join(',');
} catch (e) {
  out.textContent = 'ERROR ' + (e && e.stack || e);
}
</script>`;
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json' };
const server = createServer(async (req, res) => {
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
    return res.end(page);
  }
  const file = join(root, normalize(url.pathname));
  if (!file.startsWith(join(root, 'dist'))) {
    res.writeHead(404, headers);
    return res.end();
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, headers);
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const profile = mkdtempSync(join(tmpdir(), 'shinsou-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--virtual-time-budget=30000', '--dump-dom', `http://127.0.0.1:${port}/`];
  // Asynchronous on purpose: this process also serves the page Chromium is loading.
  execFile(process.env.CHROMIUM ?? '/usr/bin/chromium', args, { encoding: 'utf8', timeout: 120_000 }, (err, dom) => {
    server.close();
    const result = /<pre id="out">([\s\S]*?)<\/pre>/.exec(dom ?? '')?.[1] ?? `(no output${err ? `: ${err.message}` : ''})`;
    console.log(result); if (process.env.DEBUG_DOM) console.log(dom);
    process.exit(result.startsWith('OK') ? 0 : 1);
  });
});
