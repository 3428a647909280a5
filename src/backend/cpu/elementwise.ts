/**
 * The reference elementwise functions, by kernel name: the scalar each output element is (the
 * oracle the fast paths in ../elementwise.ts and the wasm kernels are tested against). Ops name a
 * kernel ('sigmoid', 'clamp', ...) and pass its parameters as numbers; a kernel here builds its
 * scalar function from those parameters, and cpu/strided.ts maps it over any strided view.
 */
import type { BinaryKernel, UnaryKernel } from '../backend.js';
import { erf } from './erf.js';

type Params = readonly number[];

/** Round half to even (C's nearbyint in the default rounding mode, which PyTorch uses). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  // Math.round sends ties up; a tie that landed on an odd integer goes back down by one.
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** round with `decimals` (p[0]) computed in the tensor's precision (p[1] = 1 for float32), as PyTorch does. */
function roundFn(p: Params): (v: number) => number {
  const decimals = p[0] ?? 0;
  if (decimals === 0) return roundHalfEven;
  const q = p[1] === 1 ? Math.fround : (v: number) => v;
  const s = q(10 ** Math.abs(decimals));
  return decimals > 0 ? (v) => q(roundHalfEven(q(v * s)) / s) : (v) => q(roundHalfEven(q(v / s)) * s);
}

const K0 = Math.sqrt(2 / Math.PI);
const K1 = 0.044715;
const SQRT1_2 = Math.SQRT1_2;

export const UNARY_REF: Record<UnaryKernel, (p: Params) => (v: number) => number> = {
  abs: () => Math.abs,
  ceil: () => Math.ceil,
  clamp:
    ([lo = -Infinity, hi = Infinity]) =>
    (v) => {
      const r = v < lo ? lo : v;
      return r > hi ? hi : r;
    },
  clampMask:
    ([lo = -Infinity, hi = Infinity]) =>
    (v) =>
      v >= lo && v <= hi ? 1 : 0,
  cos: () => Math.cos,
  elu:
    ([alpha = 1]) =>
    (v) =>
      v > 0 ? v : alpha * Math.expm1(v),
  erf: () => erf,
  exp: () => Math.exp,
  expm1: () => Math.expm1,
  floor: () => Math.floor,
  gelu: () => (v) => 0.5 * v * (1 + erf(v * SQRT1_2)),
  geluTanh: () => (v) => 0.5 * v * (1 + Math.tanh(K0 * (v + K1 * v * v * v))),
  hardtanh:
    ([l = -1, h = 1]) =>
    (v) =>
      v < l ? l : v > h ? h : v,
  hardtanhMask:
    ([l = -1, h = 1]) =>
    (v) =>
      v > l && v < h ? 1 : 0,
  leakyRelu:
    ([slope = 0.01]) =>
    (v) =>
      v > 0 ? v : v * slope,
  log: () => Math.log,
  log1p: () => Math.log1p,
  logicalNot: () => (v) => (v === 0 ? 1 : 0),
  neg: () => (v) => -v,
  reciprocal: () => (v) => 1 / v,
  relu: () => (v) => (v > 0 ? v : v === v ? 0 : v),
  round: roundFn,
  rsqrt: () => (v) => 1 / Math.sqrt(v),
  sigmoid: () => (v) => 1 / (1 + Math.exp(-v)),
  sign: () => (v) => (v > 0 ? 1 : v < 0 ? -1 : 0),
  silu: () => (v) => v / (1 + Math.exp(-v)),
  sin: () => Math.sin,
  softplus:
    ([beta = 1, threshold = 20]) =>
    (v) =>
      v * beta > threshold ? v : Math.log1p(Math.exp(v * beta)) / beta,
  sqrt: () => Math.sqrt,
  square: () => (v) => v * v,
  tanh: () => Math.tanh,
};

export const BINARY_REF: Record<BinaryKernel, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  logicalAnd: (x, y) => (x !== 0 && y !== 0 ? 1 : 0),
  logicalOr: (x, y) => (x !== 0 || y !== 0 ? 1 : 0),
};

/** The activation gradients; float32 rounds every intermediate as the composed ops do. */
export const ACTIVATION_GRAD_REF = {
  relu: { f64: (g: number, x: number) => (x > 0 ? g : 0), f32: (g: number, x: number) => (x > 0 ? g : 0) },
  sigmoid: {
    f64: (g: number, y: number) => g * (y * (1 - y)),
    f32: (g: number, y: number) => Math.fround(g * Math.fround(y * Math.fround(1 - y))),
  },
  tanh: {
    f64: (g: number, y: number) => g * (1 - y * y),
    f32: (g: number, y: number) => Math.fround(g * Math.fround(1 - Math.fround(y * y))),
  },
};
