/**
 * The 8 symmetries of the square board (the dihedral group D4), used to augment training data
 * and to average network evaluations. Symmetry s in 0..7 maps (x, y) by: transpose if bit 2 is
 * set, then mirror x if bit 0 is set, then mirror y if bit 1 is set. s = 0 is the identity.
 */
export const SYMMETRY_COUNT = 8;

/** Applies symmetry s to (x, y) on an n x n board. */
export function transformXY(s: number, x: number, y: number, n: number): [number, number] {
  if (s & 4) {
    const t = x;
    x = y;
    y = t;
  }
  if (s & 1) x = n - 1 - x;
  if (s & 2) y = n - 1 - y;
  return [x, y];
}

/** The symmetry that undoes s: `transformAction(inverseSymmetry(s), transformAction(s, a)) == a`. */
export function inverseSymmetry(s: number): number {
  // Only the transposed mirrors (5 and 6) are not their own inverses: they are rotations by 90°.
  return s === 5 ? 6 : s === 6 ? 5 : s;
}

/** Maps an action index (`y * n + x`, `n * n` = pass) through symmetry s. Pass is fixed. */
export function transformAction(s: number, action: number, n: number): number {
  if (action === n * n) return action;
  const x = action % n;
  const [tx, ty] = transformXY(s, x, (action - x) / n, n);
  return ty * n + tx;
}

/**
 * Maps feature planes laid out [C, n, n] through symmetry s: the value at (c, y, x) moves to
 * (c, y', x'). Returns a new array.
 */
export function transformPlanes(s: number, planes: Float32Array, n: number): Float32Array {
  const area = n * n;
  if (planes.length % area !== 0) throw new RangeError(`transformPlanes: length ${planes.length} is not a multiple of ${n}x${n}`);
  const out = new Float32Array(planes.length);
  const map = new Int32Array(area);
  for (let a = 0; a < area; a++) map[a] = transformAction(s, a, n);
  for (let base = 0; base < planes.length; base += area) {
    for (let a = 0; a < area; a++) out[base + map[a]!] = planes[base + a]!;
  }
  return out;
}

/**
 * Maps a policy vector (length n*n + 1, pass last) through symmetry s, e.g. to bring a network's
 * output for a transformed input back with `inverseSymmetry(s)`.
 */
export function transformPolicy(s: number, policy: Float32Array, n: number): Float32Array {
  const out = new Float32Array(policy.length);
  for (let a = 0; a < policy.length; a++) out[transformAction(s, a, n)] = policy[a]!;
  return out;
}
