/**
 * `npm run bench`: shinsou against its peers on the same workloads, in one process tree.
 *   shinsou     in this process, 1 thread and all threads (setNumThreads)
 *   PyTorch     bench/torch_bench.py under the system python3 (Debian python3-torch, OpenMP OpenBLAS)
 *   tfjs        dist/bench/tfjs_bench.js with the cpu and wasm backends (if installed)
 * Peers are optional: a missing one is reported, not fatal. Writes bench/results/latest.json and
 * docs/benchmarks.md.
 *
 *   node dist/bench/run.js [--quick] [--threads N] [--no-torch] [--no-tfjs | --reuse-tfjs] [--only substring]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compress, getKernelVariant, getNumThreads, manualSeed, noGrad, randn, setNumThreads } from '../src/index.js';
import { classifier } from '../src/models/index.js';
import { relaunchWithMallocTuning } from '../src/node/malloc-tuning.js';
import {
  CONV_SHAPES,
  cnnBlockWorkloads,
  cnnWorkload,
  convWorkload,
  gruModuleWorkload,
  lstmModuleWorkload,
  lstmWorkload,
  matmulWorkload,
  timeIt,
  transformerWorkload,
  attentionWorkload,
  transformerSeq2seqWorkload,
  type Timing,
  type Workload,
} from '../src/bench/workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..'); // dist/bench -> repo root
const args = process.argv.slice(2);
const flag = (f: string): boolean => args.includes(`--${f}`);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag('quick');
const threads = Number(opt('threads') ?? getNumThreads());
const only = opt('only');

type Entry = Timing | { error: string };
interface Row {
  name: string;
  detail: string;
  flops?: number;
  shinsou1?: Entry;
  shinsouT?: Entry;
  torch1?: Entry;
  torchT?: Entry;
  tfjsCpu?: Entry;
  tfjsWasm?: Entry;
}

const log = (s: string): void => void process.stderr.write(s + '\n');

/**
 * Inference of the cnn recipe's network (docs/fashion-mnist.md) on a batch of 64, float32 against
 * its int8 model (src/compress: per-channel weights, min-max calibration on 256 inputs). Random
 * weights: the time does not depend on the values.
 */
function quantizedCnnWorkloads(batch = 64): Workload[] {
  manualSeed(0);
  const model = classifier.cnn();
  model.eval();
  const qm = compress.quantizeModel(model, randn([256, 1, 28, 28]));
  const x = randn([batch, 1, 28, 28]);
  const detail = `cnn recipe network, batch ${batch}, 28x28: conv 1->16, pool, conv 16->32, pool, dense 1568->128->10`;
  return [
    { name: 'CNN recipe inference float32', detail, step: () => void noGrad(() => model.forward(x)) },
    {
      name: 'CNN recipe inference int8',
      detail: `${detail}; int8 weights and activations, int32 accumulation`,
      step: () => void qm.forward(x),
    },
  ];
}

function makeWorkloads(): Workload[] {
  const ws: Workload[] = [
    ...quantizedCnnWorkloads(),
    ...[256, 512, 1024].map(matmulWorkload),
    ...CONV_SHAPES.map(convWorkload),
    cnnWorkload(),
    lstmWorkload(),
    lstmModuleWorkload(),
    gruModuleWorkload(),
    transformerWorkload(),
    attentionWorkload(),
    transformerSeq2seqWorkload(),
    ...cnnBlockWorkloads(),
  ];
  return only ? ws.filter((w) => w.name.includes(only)) : ws;
}

function runShinsou(rows: Map<string, Row>): void {
  const budgetMs = quick ? 800 : 3000;
  for (const t of [1, threads]) {
    setNumThreads(t);
    for (const w of makeWorkloads()) {
      const row = rows.get(w.name) ?? { name: w.name, detail: w.detail, flops: w.flops };
      rows.set(w.name, row);
      let r: Entry;
      try {
        r = timeIt(w.step, { budgetMs, warmup: 2 });
      } catch (e) {
        r = { error: e instanceof Error ? e.message : String(e) };
      }
      if (t === 1) row.shinsou1 = r;
      if (t === threads) row.shinsouT = r;
      log(`shinsou ${t}T  ${w.name}: ${fmt(r)}`);
    }
    if (threads === 1) break;
  }
}

interface PeerOut {
  version?: string;
  results: Record<string, Entry>;
}

function child(cmd: string, argv: string[], env: Record<string, string> = {}): PeerOut | { error: string } {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24, timeout: 30 * 60 * 1000 });
  if (r.error) return { error: r.error.message };
  if (r.status !== 0) return { error: (r.stderr || `exit ${r.status}`).trim().split('\n').slice(-1)[0]!.slice(0, 300) };
  try {
    return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]!) as PeerOut;
  } catch {
    return { error: `unparseable output: ${r.stdout.slice(0, 200)}` };
  }
}

const python = '/usr/bin/python3';
function runTorch(t: number): PeerOut | { error: string } {
  if (!existsSync(python)) return { error: `${python} not found (install Debian python3-torch)` };
  const openblas = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
  const env: Record<string, string> = existsSync(openblas) ? { LD_LIBRARY_PATH: openblas } : {};
  const a = [join(root, 'bench', 'torch_bench.py'), '--threads', String(t)];
  if (quick) a.push('--quick');
  if (only) a.push('--only', only);
  return child(python, a, env);
}

function runTfjs(backend: 'cpu' | 'wasm'): PeerOut | { error: string } {
  const a = [join(here, 'tfjs_bench.js'), '--backend', backend, '--threads', String(threads)];
  if (quick) a.push('--quick');
  return child(process.execPath, a);
}

function fmt(e: Entry | undefined): string {
  if (!e) return '—';
  if ('error' in e) return `n/a (${e.error})`;
  return `${e.medianMs.toFixed(e.medianMs < 10 ? 2 : 1)} ms`;
}

/** The best time of the repetitions: on a shared machine the median mostly measures the neighbours. */
function ms(e: Entry | undefined): number | null {
  return e && !('error' in e) ? e.minMs : null;
}

function cell(e: Entry | undefined, flops?: number): string {
  const m = ms(e);
  if (m === null) return e && 'error' in e ? 'n/a¹' : '—';
  const s = m < 10 ? m.toFixed(2) : m.toFixed(1);
  return flops ? `${s} (${(flops / m / 1e6).toFixed(1)} GF/s)` : s;
}

function ratio(a: number | null, b: number | null): string {
  return a !== null && b !== null ? `${(a / b).toFixed(2)}` : '—';
}

function cpuModel(): string {
  const c = cpus();
  return `${c[0]?.model ?? 'unknown CPU'} (${c.length} logical cores)`;
}

function main(): void {
  if (flag('render')) {
    const prev = JSON.parse(readFileSync(join(root, 'bench', 'results', 'latest.json'), 'utf8')) as { meta: Meta; results: Row[] };
    render(prev.meta, prev.results);
    return;
  }
  const load0 = loadavg()[0]!;
  const rows = new Map<string, Row>();
  log(`shinsou kernels: ${getKernelVariant()}, threads: 1 and ${threads}`);
  runShinsou(rows);

  const peers: Record<string, string> = {};
  const attach = (key: 'torch1' | 'torchT' | 'tfjsCpu' | 'tfjsWasm', label: string, res: PeerOut | { error: string }): void => {
    if ('error' in res) {
      peers[label] = `not available: ${res.error}`;
      log(`${label}: ${peers[label]}`);
      return;
    }
    peers[label] = res.version ?? 'unknown version';
    for (const [name, e] of Object.entries(res.results)) {
      let row = rows.get(name);
      if (!row && (only === undefined || name.includes(only))) {
        row = { name, detail: `${label.split(' ')[0]} only, for reference` };
        rows.set(name, row);
      }
      if (row) row[key] = e;
      log(`${label} ${name}: ${fmt(e)}`);
    }
  };
  if (!flag('no-torch')) {
    attach('torch1', 'PyTorch 1 thread', runTorch(1));
    if (threads > 1) attach('torchT', `PyTorch ${threads} threads`, runTorch(threads));
  }
  if (flag('reuse-tfjs')) {
    // tfjs cpu needs minutes per convolution step: reuse its numbers from the previous full run.
    const prevFile = join(root, 'bench', 'results', 'latest.json');
    if (existsSync(prevFile)) {
      const prev = JSON.parse(readFileSync(prevFile, 'utf8')) as { meta: { date: string; peers: Record<string, string> }; results: Row[] };
      for (const label of ['tfjs cpu', 'tfjs wasm']) {
        const v = prev.meta.peers[label];
        if (v) peers[label] = v.includes('(numbers from') ? v : `${v} (numbers from the run of ${prev.meta.date})`;
      }
      for (const r of prev.results) {
        const row = rows.get(r.name);
        if (row) {
          row.tfjsCpu = r.tfjsCpu;
          row.tfjsWasm = r.tfjsWasm;
        }
      }
    }
  } else if (!flag('no-tfjs')) {
    attach('tfjsCpu', 'tfjs cpu', runTfjs('cpu'));
    attach('tfjsWasm', `tfjs wasm`, runTfjs('wasm'));
  }
  const load1 = loadavg()[0]!;

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const meta = {
    date: new Date().toISOString(),
    machine: `${cpuModel()}, ${platform()} ${release()}`,
    node: process.version,
    shinsou: pkg.version,
    kernels: getKernelVariant(),
    threads,
    quick,
    loadAverage: { start: load0, end: load1 },
    malloc: process.env['GLIBC_TUNABLES'] ?? 'glibc defaults',
    peers,
  };
  const list = [...rows.values()];
  const outDir = join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify({ meta, results: list }, null, 2) + '\n');
  render(meta, list);
}

type Meta = {
  date: string;
  machine: string;
  node: string;
  shinsou: string;
  kernels: string;
  threads: number;
  quick: boolean;
  loadAverage: { start: number; end: number };
  malloc?: string;
  peers: Record<string, string>;
};

/** docs/benchmarks.md from one run's metadata and rows (`--render` redoes it from latest.json). */
function render(meta: Meta, list: Row[]): void {
  const { quick, peers } = meta;
  const load0 = meta.loadAverage.start;
  const load1 = meta.loadAverage.end;
  const T = meta.threads;
  const lines: string[] = [
    '# Benchmarks',
    '',
    'Generated by `npm run bench` (bench/run.ts); raw numbers in bench/results/latest.json.',
    'Times are the best of the timed repetitions per step in milliseconds (medians are in the JSON;',
    'matmul also in GFLOP/s); training steps are forward + backward with gradients zeroed first.',
    'Ratios below 1 mean shinsou is faster.',
    '',
    `- date: ${meta.date}`,
    `- machine: ${meta.machine}`,
    `- Node ${meta.node}, shinsou ${meta.shinsou} (kernels: ${meta.kernels}), threads: 1 and ${T}`,
    ...Object.entries(peers).map(([k, v]) => `- ${k}: ${v}`),
    meta.malloc ? `- malloc (every process of the run, PyTorch included): ${meta.malloc}` : '',
    // The end value includes the suite's own multi-threaded runs; only the start says whether other
    // jobs were competing.
    `- load average (1 min) at start/end: ${load0.toFixed(2)} / ${load1.toFixed(2)} (the end includes this suite's own threads)` +
      (load0 >= 1.5
        ? ': other jobs were running on this shared machine, so the multi-threaded columns had no idle core to use ' +
          `(shinsou ${T}T then equals 1T; OpenMP PyTorch with oversubscribed cores can be far slower than 1T)`
        : ''),
    quick ? '- quick mode: short time budgets, noisier' : '',
    '',
    `| workload | shinsou 1T | PyTorch 1T | shinsou ${T}T | PyTorch ${T}T | tfjs cpu | tfjs wasm (${T}T) | shinsou/PyTorch 1T | shinsou/PyTorch ${T}T | best tfjs/shinsou ${T}T |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const notes: string[] = [];
  for (const r of list) {
    const tf = [ms(r.tfjsCpu), ms(r.tfjsWasm)].filter((v): v is number => v !== null);
    const bestTf = tf.length ? Math.min(...tf) : null;
    lines.push(
      `| ${r.name} | ${cell(r.shinsou1, r.flops)} | ${cell(r.torch1, r.flops)} | ${cell(r.shinsouT, r.flops)} | ${cell(r.torchT, r.flops)} | ` +
        `${cell(r.tfjsCpu, r.flops)} | ${cell(r.tfjsWasm, r.flops)} | ${ratio(ms(r.shinsou1), ms(r.torch1))} | ` +
        `${ratio(ms(r.shinsouT), ms(r.torchT))} | ${ratio(bestTf, ms(r.shinsouT))} |`,
    );
    for (const [k, e] of Object.entries({ tfjsCpu: r.tfjsCpu, tfjsWasm: r.tfjsWasm, torch: r.torchT ?? r.torch1, shinsou: r.shinsouT })) {
      if (e && 'error' in e) notes.push(`${r.name}, ${k}: ${e.error}`);
    }
  }
  lines.push('', 'Workloads:', '');
  for (const r of list) lines.push(`- **${r.name}**: ${r.detail}`);
  if (notes.length) lines.push('', '¹ could not run:', '', ...notes.map((n) => `- ${n}`));
  lines.push(
    '',
    'PyTorch runs the same formulations (functional conv/pool/cross-entropy, the raw-op LSTM) except the',
    'Transformer layer, which is torch.nn.TransformerEncoderLayer (same math: post-norm, ReLU FFN, no dropout), and the',
    'attention rows, which run torch.nn.MultiheadAttention and torch.nn.Transformer with the same sizes, masks and dropout.',
    'tfjs uses NHWC images (it has no NCHW convolution gradients) with the same sizes.',
    '',
  );
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, 'docs', 'benchmarks.md'), lines.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n'));
  log('wrote docs/benchmarks.md (raw numbers: bench/results/latest.json)');
}

// Both sides run with the same malloc thresholds (see src/node/malloc-tuning.ts): the peers are
// child processes of the relaunched runner and inherit GLIBC_TUNABLES.
if (!relaunchWithMallocTuning()) {
  main();
  process.exit(0);
}
