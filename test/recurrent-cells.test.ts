// The reference LSTM and GRU cells (ops/recurrent/lstmCell.ts, gruCell.ts) against their formulas
// evaluated on plain numbers, element by element; their gradients are checked in
// test/gradcases/recurrent.ts, and the fused layers against them in test/rnn-fused.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, randn, lstmCell, gruCell, type Tensor } from '../src/index.js';

const gen = new Generator(3);
const f64 = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: gen });
const sig = (v: number): number => 1 / (1 + Math.exp(-v));
const at = (t: Tensor, b: number, j: number): number => (t.toArray() as number[][])[b]![j]!;

test('lstmCell: c = f c_prev + i tanh(u_g), h = o tanh(c), gates i, f, g, o; peepholes on i, f (old c) and o (new c)', () => {
  const B = 2;
  const H = 3;
  const u = f64(B, 4 * H);
  const c0 = f64(B, H);
  const peep = { ci: f64(H), cf: f64(H), co: f64(H) };
  for (const p of [null, peep]) {
    const { h, c } = lstmCell(u, c0, p);
    const w = (t: Tensor | undefined, j: number): number => (t ? (t.toArray() as number[])[j]! : 0);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const cp = at(c0, b, j);
        const i = sig(at(u, b, j) + w(p?.ci, j) * cp);
        const f = sig(at(u, b, H + j) + w(p?.cf, j) * cp);
        const a = Math.tanh(at(u, b, 2 * H + j));
        const cn = i * a + f * cp;
        const o = sig(at(u, b, 3 * H + j) + w(p?.co, j) * cn);
        assert.ok(Math.abs(at(c, b, j) - cn) < 1e-14, `c[${b}, ${j}]${p ? ' peephole' : ''}`);
        assert.ok(Math.abs(at(h, b, j) - o * Math.tanh(cn)) < 1e-14, `h[${b}, ${j}]${p ? ' peephole' : ''}`);
      }
    }
  }
});

test('gruCell: r, z = σ(xp + q), n = tanh(xp_n + r q_n), h = (1 - z) n + z h_prev', () => {
  const B = 3;
  const H = 2;
  const xp = f64(B, 3 * H);
  const q = f64(B, 3 * H);
  const h0 = f64(B, H);
  const h = gruCell(xp, q, h0);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < H; j++) {
      const r = sig(at(xp, b, j) + at(q, b, j));
      const z = sig(at(xp, b, H + j) + at(q, b, H + j));
      const n = Math.tanh(at(xp, b, 2 * H + j) + r * at(q, b, 2 * H + j));
      assert.ok(Math.abs(at(h, b, j) - ((1 - z) * n + z * at(h0, b, j))) < 1e-14, `h[${b}, ${j}]`);
    }
  }
});

test('lstmCell and gruCell: shape errors name the cell and every operand', () => {
  assert.throws(
    () => lstmCell(f64(2, 7), f64(2, 2)),
    /lstmCell: expected gates u \[B, 4H\] and cPrev \[B, H\], got u \[2, 7\] and cPrev \[2, 2\]/,
  );
  assert.throws(
    () => gruCell(f64(2, 6), f64(3, 6), f64(2, 2)),
    /gruCell: expected xp and q \[B, 3H\] and hPrev \[B, H\], got xp \[2, 6\], q \[3, 6\], hPrev \[2, 2\]/,
  );
});
