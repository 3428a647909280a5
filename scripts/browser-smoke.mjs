#!/usr/bin/env node
// Runs the core entry point in headless Chromium (Debian's `chromium`): serves the built package on
// loopback with cross-origin isolation (so SharedArrayBuffer threads are allowed), trains a small
// network in the page, checks a pool-sized matmul against one thread, and prints what the page reports.
// (The page's main thread may not block on Atomics.wait, so there the pool stays off and kernels
// run on the calling thread; run shinsou in a Worker to use threads.) Usage: npm run build && node scripts/browser-smoke.mjs
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
  const { nn, optim, manualSeed, rand, randn, matmul, mseLoss, getNumThreads, setNumThreads, getKernelVariant } = await import('/dist/src/index.js');
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
  // A product large enough for the worker pool, against the same product on one thread.
  const a = randn([384, 512]);
  const b = randn([512, 256]);
  const configured = getNumThreads();
  const two = matmul(a, b).toList();
  setNumThreads(1);
  const one = matmul(a, b).toList();
  const same = two.every((v, i) => v === one[i]);
  if (!same) throw new Error('the 2-thread matmul differs from the 1-thread one');
  out.textContent = 'OK isolated=' + self.crossOriginIsolated + ' kernels=' + getKernelVariant() + ' threads=' + configured + ' matmul equal to 1 thread=' + same + ' losses=' + losses.join(',');
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
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--virtual-time-budget=120000',
    '--dump-dom',
    `http://127.0.0.1:${port}/`,
  ];
  // Asynchronous on purpose: this process also serves the page Chromium is loading. Chromium
  // sometimes dumps the page before the module has run on a busy machine: try up to three times.
  const attempt = (left) =>
    execFile(process.env.CHROMIUM ?? '/usr/bin/chromium', args, { encoding: 'utf8', timeout: 120_000 }, (err, dom) => {
      const result = /<pre id="out">([\s\S]*?)<\/pre>/.exec(dom ?? '')?.[1] || `(no output${err ? `: ${err.message}` : ''})`;
      if (!result.startsWith('OK') && !result.startsWith('ERROR') && left > 1) return attempt(left - 1);
      server.close();
      console.log(result);
      if (process.env.DEBUG_DOM) console.log(dom);
      process.exit(result.startsWith('OK') ? 0 : 1);
    });
  attempt(3);
});
