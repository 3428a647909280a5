/**
 * Decoding for every sequence model of the zoo (dialogue, seq2seq, Transformer, WaveNet, the
 * language models): written once, here. A model takes part through one function, `step`, that
 * maps the last token of each hypothesis and its state to next-token logits and the new state.
 *
 *   greedy   y^t = argmax_w p(w | y^{<t}, c)                     (ties: the lowest id)
 *   sample   y^t ~ p(w | y^{<t}, c) ∝ exp(logit_w / τ)            (the curriculum's "pick the next
 *            token at random by its probability"; temperature τ, optionally only the top k logits)
 *   beam     keep the B best partial sequences by log p(y^{≤t} | c); a finished hypothesis
 *            (one that emitted <eos>) is ranked by log p(Y | c) / lp(Y) with the length penalty
 *            lp(Y) = ((5 + |Y|) / 6)^α of Wu et al., "Google's Neural Machine Translation System"
 *            (2016), eq. 14; α = 0 ranks by plain log-probability, larger α favours longer answers.
 *
 * Token choice (argmaxToken, sampleToken) works on one row of logits (plain numbers); decode()
 * drives a StepDecoder for a batch of rows (greedy, sample) or one beam per row.
 */
import type { Tensor } from '../tensor/tensor.js';
import { Generator } from '../tensor/random.js';
import { noGrad } from '../autograd/grad-mode.js';
import { checkOptions, checkRest, describe } from '../tensor/validate.js';

/** What decode() drives: a model's one-step function and, for beam search, a way to pick state rows. */
export interface StepDecoder<S> {
  /**
   * tokens: int32 ids [n] (the last token of each of n hypotheses); state: their states.
   * Returns next-token logits [n, V] and the states after consuming the tokens.
   */
  step(tokens: Int32Array, state: S): { logits: Tensor; state: S };
  /** The state rows `rows` (in that order, repeats allowed): needed by beam search only. */
  reorder?(state: S, rows: Int32Array): S;
}

export interface TokenOptions {
  /** Softmax temperature τ: < 1 sharper, > 1 flatter (default 1; sampling only). */
  temperature?: number;
  /** Sample among the k largest logits only (default 0: all; sampling only). */
  topK?: number;
  /** Token ids never chosen (e.g. <unk>, padding). */
  exclude?: readonly number[];
}

const tokenSpec = { temperature: 'number', topK: 'nonNegativeInt', exclude: 'ints' } as const;

function checkLogits(fn: string, logits: unknown): asserts logits is ArrayLike<number> {
  const ok =
    (Array.isArray(logits) && logits.every((v) => typeof v === 'number')) ||
    logits instanceof Float32Array ||
    logits instanceof Float64Array;
  if (!ok)
    throw new TypeError(`${fn}: argument 1 (logits) must be a list of numbers or a Float32Array/Float64Array, got ${describe(logits)}`);
  if (logits.length === 0) throw new Error(`${fn}: argument 1 (logits) is empty`);
}

/** The largest logit's index (the lowest such id on ties), skipping `exclude`. */
export function argmaxToken(logits: ArrayLike<number>, opts?: Pick<TokenOptions, 'exclude'>, ...extra: never[]): number {
  checkLogits('argmaxToken', logits);
  const o = checkOptions('argmaxToken', 2, opts, { exclude: 'ints' });
  checkRest('argmaxToken', extra, 2, 'argmaxToken(logits, { exclude })');
  return argmaxRow(logits, 0, logits.length, excludeSet(o.exclude));
}

function excludeSet(ex: readonly number[] | number | undefined): Set<number> {
  return new Set(ex === undefined ? [] : typeof ex === 'number' ? [ex] : ex);
}

function argmaxRow(all: ArrayLike<number>, base: number, V: number, exclude: Set<number>): number {
  let best = -1;
  let bestZ = -Infinity;
  for (let v = 0; v < V; v++) {
    if (exclude.has(v)) continue;
    const z = all[base + v]!;
    if (best < 0 || z > bestZ) {
      best = v;
      bestZ = z;
    }
  }
  if (best < 0) throw new Error('argmaxToken: every token is excluded');
  return best;
}

/**
 * Draws a token by its probability p(w) ∝ exp(logit_w / τ), among the top k logits when topK > 0:
 * the candidates sorted by logit (descending, ties by id), one uniform draw u from `generator`,
 * and the first candidate whose cumulative probability reaches u.
 * @example sampleToken([2, 1, 0.5], new Generator(0), { temperature: 0.8, topK: 2 }) // 0 or 1
 */
export function sampleToken(logits: ArrayLike<number>, generator: Generator, opts?: TokenOptions, ...extra: never[]): number {
  checkLogits('sampleToken', logits);
  if (!(generator instanceof Generator))
    throw new TypeError(`sampleToken: argument 2 (generator) must be a Generator, got ${describe(generator)}`);
  const o = checkOptions('sampleToken', 3, opts, tokenSpec);
  checkRest('sampleToken', extra, 3, 'sampleToken(logits, generator, { temperature, topK, exclude })');
  return sampleRow(logits, 0, logits.length, generator, checkTemperature('sampleToken', o.temperature), o.topK ?? 0, excludeSet(o.exclude));
}

function checkTemperature(fn: string, t: number | undefined): number {
  const temperature = t ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new Error(`${fn}: temperature must be a finite number > 0, got ${temperature}`);
  return temperature;
}

function sampleRow(
  all: ArrayLike<number>,
  base: number,
  V: number,
  gen: Generator,
  temperature: number,
  topK: number,
  exclude: Set<number>,
): number {
  const cand: { id: number; z: number }[] = [];
  for (let v = 0; v < V; v++) if (!exclude.has(v)) cand.push({ id: v, z: all[base + v]! / temperature });
  if (cand.length === 0) throw new Error('sampleToken: every token is excluded');
  cand.sort((a, b) => b.z - a.z); // stable: equal logits stay in id order
  const keep = topK > 0 ? cand.slice(0, topK) : cand;
  const zMax = keep[0]!.z;
  let total = 0;
  const w = keep.map((c) => {
    const e = Math.exp(c.z - zMax);
    total += e;
    return e;
  });
  let u = gen.random() * total;
  for (let k = 0; k < keep.length; k++) {
    u -= w[k]!;
    if (u <= 0) return keep[k]!.id;
  }
  return keep[keep.length - 1]!.id;
}

export interface DecodeOptions extends TokenOptions {
  /** 'greedy' (default), 'sample' or 'beam'. */
  method?: 'greedy' | 'sample' | 'beam';
  /** Tokens to generate at most per sequence (the <eos> included). */
  maxLength: number;
  /** The first input token of every sequence (e.g. <bos>, or <eos> used as the start symbol). */
  bos: number;
  /** The end token: a sequence stops after it (it is not returned). Default: none, maxLength tokens. */
  eos?: number;
  /** Sampling: the random source (default a new Generator(seed)). */
  generator?: Generator;
  /** Sampling: the seed of the default generator (default 0). */
  seed?: number;
  /** Beam search: hypotheses kept per step (default 4). */
  beamWidth?: number;
  /** Beam search: α of the length penalty ((5 + |Y|) / 6)^α (default 0.6). */
  lengthPenalty?: number;
}

const decodeSpec = {
  ...tokenSpec,
  method: ['greedy', 'sample', 'beam'],
  maxLength: 'positiveInt',
  bos: 'nonNegativeInt',
  eos: 'nonNegativeInt',
  generator: 'any',
  seed: 'int',
  beamWidth: 'positiveInt',
  lengthPenalty: 'number',
} as const;

/** The number of rows of a logits tensor [n, V], checked. */
function logitRows(logits: Tensor, n: number): { data: ArrayLike<number>; V: number } {
  if (logits.ndim !== 2 || logits.shape[0] !== n)
    throw new Error(`decode: step() must return logits of shape [${n}, V] for ${n} tokens, got [${logits.shape.join(', ')}]`);
  return { data: logits.contiguous().data as ArrayLike<number>, V: logits.shape[1]! };
}

/**
 * Generates one token sequence per row of `state` (the <eos> left off), without gradients.
 * Greedy and sampling run all rows together and stop once every row has ended; beam search keeps
 * one beam per row, all rows' hypotheses stepped together (it needs `decoder.reorder`).
 * @example
 * const out = decode({ step: (t, s) => model.step(t, s) }, model.start(context), 1, { method: 'sample', maxLength: 30, bos: EOS, eos: EOS, temperature: 0.8, seed: 1 });
 */
export function decode<S>(decoder: StepDecoder<S>, state: S, rows: number, opts: DecodeOptions, ...extra: never[]): number[][] {
  if (typeof decoder !== 'object' || decoder === null || typeof decoder.step !== 'function')
    throw new TypeError(`decode: argument 1 (decoder) must be an object with a step(tokens, state) function, got ${describe(decoder)}`);
  if (!Number.isInteger(rows) || rows < 1)
    throw new TypeError(`decode: argument 3 (rows) must be a positive integer, got ${describe(rows)}`);
  if (opts === undefined) throw new TypeError('decode: argument 4 (opts) is required: { maxLength, bos, ... }');
  const o = checkOptions('decode', 4, opts, decodeSpec);
  checkRest('decode', extra, 4, 'decode(decoder, state, rows, { maxLength, bos, eos, method, ... })');
  if (o.maxLength === undefined || o.bos === undefined) throw new TypeError('decode: options maxLength and bos are required');
  if (o.generator !== undefined && !(o.generator instanceof Generator))
    throw new TypeError(`decode: option 'generator' must be a Generator, got ${describe(o.generator)}`);
  const method = o.method ?? 'greedy';
  const exclude = excludeSet(o.exclude);
  return noGrad(() => {
    if (method === 'beam') {
      if (typeof decoder.reorder !== 'function') throw new TypeError('decode: beam search needs decoder.reorder(state, rows)');
      return beamSearch(decoder as Required<StepDecoder<S>>, state, rows, o, exclude);
    }
    const temperature = checkTemperature('decode', o.temperature);
    const gen = o.generator ?? new Generator(o.seed ?? 0);
    const out: number[][] = Array.from({ length: rows }, () => []);
    const done = new Array<boolean>(rows).fill(false);
    let tokens = new Int32Array(rows).fill(o.bos);
    let st = state;
    for (let t = 0; t < o.maxLength && done.some((d) => !d); t++) {
      const r = decoder.step(tokens, st);
      st = r.state;
      const { data, V } = logitRows(r.logits, rows);
      const next = new Int32Array(rows);
      for (let b = 0; b < rows; b++) {
        if (done[b]) {
          next[b] = o.eos ?? o.bos;
          continue;
        }
        const pick =
          method === 'sample' ? sampleRow(data, b * V, V, gen, temperature, o.topK ?? 0, exclude) : argmaxRow(data, b * V, V, exclude);
        next[b] = pick;
        if (pick === o.eos) done[b] = true;
        else out[b]!.push(pick);
      }
      tokens = next;
    }
    return out;
  });
}

interface Hypothesis {
  tokens: number[];
  /** log p of the tokens so far. */
  logp: number;
}

/** One row's search: its live hypotheses, its finished ones, and whether it has stopped. */
interface RowBeam {
  alive: Hypothesis[];
  finished: { tokens: number[]; score: number }[];
  done: boolean;
}

/**
 * Beam search for every row at once (see the module comment). Each row keeps its own beam, and
 * a row stops when it has `width` finished hypotheses, no live one, or maxLength tokens; but all
 * live hypotheses of all rows go through one step() call, so a batch of n rows costs maxLength
 * calls on at most n·width states, not n·maxLength calls on width states. A row's result is the
 * one it gets searched alone (its logits do not depend on the other rows).
 */
function beamSearch<S>(decoder: Required<StepDecoder<S>>, state: S, rows: number, o: DecodeOptions, exclude: Set<number>): number[][] {
  const width = o.beamWidth ?? 4;
  const alpha = o.lengthPenalty ?? 0.6;
  const lp = (len: number): number => Math.pow((5 + len) / 6, alpha);
  const beams: RowBeam[] = Array.from({ length: rows }, () => ({ alive: [{ tokens: [], logp: 0 }], finished: [], done: false }));
  let st = state;
  for (let t = 0; t < o.maxLength && beams.some((b) => !b.done); t++) {
    // the state rows are the live hypotheses of the rows still searching, row by row
    const live = beams.filter((b) => !b.done);
    const last = Int32Array.from(
      live.flatMap((b) => b.alive),
      (h) => (h.tokens.length ? h.tokens[h.tokens.length - 1]! : o.bos),
    );
    const r = decoder.step(last, st);
    const { data, V } = logitRows(r.logits, last.length);
    const keep: number[] = [];
    let base = 0;
    for (const b of live) {
      const cands: { row: number; id: number; z: number; score: number }[] = [];
      b.alive.forEach((h, k) => {
        const row = base + k;
        // log-softmax of the row: z_w - log Σ exp z
        let zMax = -Infinity;
        for (let v = 0; v < V; v++) zMax = Math.max(zMax, data[row * V + v]!);
        let sum = 0;
        for (let v = 0; v < V; v++) sum += Math.exp(data[row * V + v]! - zMax);
        const lse = zMax + Math.log(sum);
        for (let v = 0; v < V; v++) {
          if (exclude.has(v)) continue;
          const z = data[row * V + v]!;
          cands.push({ row: k, id: v, z, score: h.logp + z - lse });
        }
      });
      // Best first; a tie that rounding made breaks by the raw logit, then by the lower id, so a
      // beam of width 1 follows greedy decoding exactly.
      cands.sort((a, c) => c.score - a.score || c.z - a.z || a.row - c.row || a.id - c.id);
      const next: Hypothesis[] = [];
      for (const c of cands) {
        const h = b.alive[c.row]!;
        if (c.id === o.eos) {
          b.finished.push({ tokens: h.tokens, score: c.score / lp(h.tokens.length + 1) });
          if (b.finished.length >= width) break;
        } else {
          next.push({ tokens: [...h.tokens, c.id], logp: c.score });
          keep.push(base + c.row);
          if (next.length >= width) break;
        }
      }
      base += b.alive.length;
      b.alive = next;
      if (b.finished.length >= width || next.length === 0) {
        // its kept rows leave the state with it
        keep.length -= next.length;
        b.done = true;
      }
    }
    if (keep.length > 0) st = decoder.reorder(r.state, Int32Array.from(keep));
  }
  return beams.map((b) => {
    // Out of length: the unfinished hypotheses compete too (cut at maxLength, as greedy's are).
    if (!b.done) for (const h of b.alive) b.finished.push({ tokens: h.tokens, score: h.logp / lp(h.tokens.length) });
    b.finished.sort((a, c) => c.score - a.score);
    return b.finished[0]!.tokens;
  });
}
