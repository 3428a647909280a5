// Optimizer updates of one float32 parameter (SGD, Adam/AdamW, RMSprop), as the JS reference
// updates in src/optim do them for float32: every operation in float32 (the reference rounds each
// result with Math.fround), in the same order, with the hyper-parameters rounded to float32 once.
// So the results have the same bits. Four elements per step in f32x4 lanes; f64x2 lanes were
// measured 4x slower (Adam's square root and two divisions bound the loop, not memory).
// Memory: p, g and the state arrays are n floats each, padded by the caller to a multiple of
// four (the lanes past the end compute on whatever is there and are never copied back).

/**
 * SGD: g = grad + wd p; b = mu b + (1 - dampening) g (b = g at the first step);
 * g = nesterov ? g + mu b : b; p = p - lr g. damp = 1 - dampening.
 * flags: 1 momentum (b used), 2 nesterov, 4 first step.
 */
export function sgdF32(p: usize, g: usize, b: usize, n: i32, lr: f32, mu: f32, damp: f32, wd: f32, flags: i32): void {
  const LR = f32x4.splat(lr);
  const MU = f32x4.splat(mu);
  const DAMP = f32x4.splat(damp);
  const WD = f32x4.splat(wd);
  const momentum = (flags & 1) != 0;
  const nesterov = (flags & 2) != 0;
  const first = (flags & 4) != 0;
  for (let i: i32 = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    const pv = v128.load(p + o);
    let gv = f32x4.add(v128.load(g + o), f32x4.mul(WD, pv));
    if (momentum) {
      const bv = first ? gv : f32x4.add(f32x4.mul(MU, v128.load(b + o)), f32x4.mul(DAMP, gv));
      v128.store(b + o, bv);
      gv = nesterov ? f32x4.add(gv, f32x4.mul(MU, bv)) : bv;
    }
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(LR, gv)));
  }
}

/**
 * Adam: m = b1 m + c1 g; v = b2 v + c2 g^2 (amsgrad: vmax = max(vmax, v), used for v);
 * p = p - stepSize m / (sqrt(v) / bc2 + eps), with c1 = 1 - b1, c2 = 1 - b2, stepSize = lr / (1 - b1^t),
 * bc2 = sqrt(1 - b2^t). Weight decay adds wd p to g, or (decoupled, AdamW) scales p by decay = 1 - lr wd.
 * flags: 1 decoupled, 2 amsgrad (vmax used), 4 weight decay added to g.
 */
export function adamF32(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  beta1: f32, c1: f32, beta2: f32, c2: f32, eps: f32, wd: f32, decay: f32, stepSize: f32, bc2: f32, flags: i32,
): void {
  const B1 = f32x4.splat(beta1);
  const C1 = f32x4.splat(c1);
  const B2 = f32x4.splat(beta2);
  const C2 = f32x4.splat(c2);
  const EPS = f32x4.splat(eps);
  const WD = f32x4.splat(wd);
  const DECAY = f32x4.splat(decay);
  const STEP = f32x4.splat(stepSize);
  const BC2 = f32x4.splat(bc2);
  const decoupled = (flags & 1) != 0;
  const amsgrad = (flags & 2) != 0;
  const addDecay = (flags & 4) != 0;
  for (let i: i32 = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    let pv = v128.load(p + o);
    let gv = v128.load(g + o);
    if (decoupled) pv = f32x4.mul(pv, DECAY);
    else if (addDecay) gv = f32x4.add(gv, f32x4.mul(WD, pv));
    const mv = f32x4.add(f32x4.mul(B1, v128.load(m + o)), f32x4.mul(C1, gv));
    let vv = f32x4.add(f32x4.mul(B2, v128.load(v + o)), f32x4.mul(f32x4.mul(C2, gv), gv));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    if (amsgrad) {
      vv = f32x4.max(v128.load(vmax + o), vv);
      v128.store(vmax + o, vv);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), BC2), EPS);
    v128.store(p + o, f32x4.sub(pv, f32x4.div(f32x4.mul(STEP, mv), denom)));
  }
}

/**
 * RMSprop: g = grad + wd p; v = a v + c g^2 (c = 1 - a); d = sqrt(v) + eps (centered: gavg =
 * a gavg + c g, d = sqrt(v - gavg^2) + eps); momentum: b = mu b + g / d, p = p - lr b; else
 * p = p - lr g / d. flags: 1 centered (gavg used), 2 momentum (b used).
 */
export function rmspropF32(
  p: usize, g: usize, sq: usize, gavg: usize, b: usize, n: i32,
  lr: f32, alpha: f32, c: f32, eps: f32, wd: f32, mu: f32, flags: i32,
): void {
  const LR = f32x4.splat(lr);
  const A = f32x4.splat(alpha);
  const C = f32x4.splat(c);
  const EPS = f32x4.splat(eps);
  const WD = f32x4.splat(wd);
  const MU = f32x4.splat(mu);
  const centered = (flags & 1) != 0;
  const momentum = (flags & 2) != 0;
  for (let i: i32 = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    const pv = v128.load(p + o);
    const gv = f32x4.add(v128.load(g + o), f32x4.mul(WD, pv));
    const sv = f32x4.add(f32x4.mul(A, v128.load(sq + o)), f32x4.mul(f32x4.mul(C, gv), gv));
    v128.store(sq + o, sv);
    let avg: v128;
    if (centered) {
      const av = f32x4.add(f32x4.mul(A, v128.load(gavg + o)), f32x4.mul(C, gv));
      v128.store(gavg + o, av);
      avg = f32x4.add(f32x4.sqrt(f32x4.sub(sv, f32x4.mul(av, av))), EPS);
    } else avg = f32x4.add(f32x4.sqrt(sv), EPS);
    if (momentum) {
      const bv = f32x4.add(f32x4.mul(MU, v128.load(b + o)), f32x4.div(gv, avg));
      v128.store(b + o, bv);
      v128.store(p + o, f32x4.sub(pv, f32x4.mul(LR, bv)));
    } else v128.store(p + o, f32x4.sub(pv, f32x4.div(f32x4.mul(LR, gv), avg)));
  }
}
