/**
 * Finite-difference gradient checks in float64, as torch.autograd.gradcheck. The check projects
 * the output on a fixed random vector v, so a non-scalar op is checked through the vector-Jacobian
 * product that backward actually computes: d(sum(v * f(x)))/dx, analytic against central differences.
 */
import { Tensor } from '../tensor/tensor.js';
import { fmtShape } from '../tensor/shape.js';
import { Generator } from '../tensor/random.js';
import { randn } from '../tensor/creation.js';
import { grad } from './engine.js';
import { mul } from '../ops/elementwise/mul.js';
import { sum } from '../ops/reduce/sum.js';
import { add } from '../ops/elementwise/add.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the projection vectors. */
  seed?: number;
}

type Fn = (...inputs: Tensor[]) => Tensor;

function project(out: Tensor, v: Tensor): Tensor {
  return sum(mul(out, v));
}

/**
 * Throws (naming the input, element index and both values) when an analytic gradient disagrees
 * with the central difference (f(x+eps) - f(x-eps)) / 2eps. Inputs must be float64 and contiguous;
 * those with requiresGrad are checked.
 */
export function gradcheck(fn: Fn, inputs: Tensor[], opts: GradcheckOptions = {}): true {
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const gen = new Generator(opts.seed ?? 1234);
  const checked = inputs.filter((t) => t.requiresGrad);
  if (checked.length === 0) throw new Error('gradcheck: no input requires grad');
  for (const t of checked) {
    if (t.dtype !== 'float64') throw new Error(`gradcheck: inputs must be float64, got ${t.dtype} of shape ${fmtShape(t.shape)}`);
    if (!t.isContiguous() || t.offset !== 0) throw new Error('gradcheck: inputs must be contiguous leaves');
  }
  const out0 = fn(...inputs);
  if (!out0.requiresGrad) throw new Error('gradcheck: the output does not require grad (no gradient path)');
  const v = randn(out0.shape, { dtype: 'float64', generator: gen });
  const analytic = grad(project(out0, v), checked, { allowUnused: true });
  checked.forEach((t, ti) => {
    const a = analytic[ti];
    const s = t.storage;
    for (let i = 0; i < s.length; i++) {
      const orig = s[i]!;
      s[i] = orig + eps;
      const fp = project(fn(...inputs), v).item();
      s[i] = orig - eps;
      const fm = project(fn(...inputs), v).item();
      s[i] = orig;
      const numeric = (fp - fm) / (2 * eps);
      const an = a ? a.data[i]! : 0;
      if (!(Math.abs(an - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new Error(
          `gradcheck: input ${inputs.indexOf(t)} (shape ${fmtShape(t.shape)}) element ${i}: ` +
            `analytic ${an} vs numeric ${numeric}${a ? '' : ' (no analytic gradient: unused input)'}`,
        );
      }
    }
  });
  return true;
}

/** Checks second derivatives: gradcheck of x -> sum(w * d(sum(v * f(x)))/dx). */
export function gradgradcheck(fn: Fn, inputs: Tensor[], opts: GradcheckOptions = {}): true {
  const gen = new Generator((opts.seed ?? 1234) + 1);
  const out0 = fn(...inputs);
  const v = randn(out0.shape, { dtype: 'float64', generator: gen });
  const checked = inputs.filter((t) => t.requiresGrad);
  const ws = checked.map((t) => randn(t.shape, { dtype: 'float64', generator: gen }));
  const second: Fn = (...xs) => {
    const gs = grad(
      project(fn(...xs), v),
      xs.filter((t) => t.requiresGrad),
      { createGraph: true, allowUnused: true },
    );
    let total: Tensor | null = null;
    gs.forEach((g, i) => {
      if (!g || !g.requiresGrad) return;
      const term = project(g, ws[i]!);
      total = total ? add(total, term) : term;
    });
    // A function linear in its inputs has a constant first derivative: the check then confirms
    // numerically that the second derivative is zero.
    return (
      total ??
      sum(
        mul(
          xs.find((t) => t.requiresGrad)!,
          0,
        ),
      )
    );
  };
  return gradcheck(second, inputs, opts);
}
