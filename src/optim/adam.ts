import type { Tensor } from '../tensor/tensor.js';
import { adamUpdate } from '../backend/optim.js';
import { Optimizer, roundingFor, withDefaults, type ParamGroupInput, type ParamState } from './optimizer.js';
import { checkOptions, type Spec } from '../tensor/validate.js';

/** AdamW's options: Adam's, less `decoupled` (always on). */
const adamWSpec: Spec = { lr: 'number', beta1: 'number', beta2: 'number', eps: 'number', weightDecay: 'number', amsgrad: 'boolean' };

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  /** AdamW: decoupled weight decay p = p (1 - lr wd) instead of adding wd p to the gradient. */
  decoupled: boolean;
  [k: string]: number | boolean;
}

/**
 * Adam (torch.optim.Adam): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p = p - lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps). Weight decay adds wd p to g.
 * float32 parameters are updated in float32 arithmetic (as torch), in wasm when large.
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Iterable<Tensor> | ParamGroupInput<AdamOptions>[], opts: Partial<AdamOptions> = {}) {
    super(
      params,
      withDefaults(
        new.target.name,
        { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, decoupled: false },
        opts,
      ),
    );
  }

  protected update(p: Float32Array, grad: ArrayLike<number>, st: ParamState, o: AdamOptions, buf: (n: string) => Float32Array): void {
    const { lr, amsgrad, decoupled } = o;
    const r = roundingFor(p);
    const c = {
      beta1: r(o.beta1),
      c1: r(1 - o.beta1),
      beta2: r(o.beta2),
      c2: r(1 - o.beta2),
      eps: r(o.eps),
      wd: r(o.weightDecay),
      decay: r(1 - lr * o.weightDecay),
      stepSize: r(lr / (1 - o.beta1 ** st.step)),
      bc2: r(Math.sqrt(1 - o.beta2 ** st.step)),
    };
    const { beta1, c1, beta2, c2, eps, wd, decay, stepSize, bc2 } = c;
    const addDecay = !decoupled && o.weightDecay !== 0;
    const m = buf('expAvg');
    const v = buf('expAvgSq');
    const vmax = amsgrad ? buf('maxExpAvgSq') : null;
    if (adamUpdate(p, grad, m, v, vmax, decoupled, addDecay, c)) return; // float32 in wasm, same bits as this loop
    for (let i = 0; i < p.length; i++) {
      let g = grad[i]!;
      if (decoupled) p[i] = r(p[i]! * decay);
      else if (addDecay) g = r(g + r(wd * p[i]!));
      m[i] = r(r(beta1 * m[i]!) + r(c1 * g));
      v[i] = r(r(beta2 * v[i]!) + r(r(c2 * g) * g));
      let vi = v[i]!;
      if (vmax) {
        vmax[i] = Math.max(vmax[i]!, vi);
        vi = vmax[i]!;
      }
      p[i] = r(p[i]! - r(r(stepSize * m[i]!) / r(r(r(Math.sqrt(vi)) / bc2) + eps)));
    }
  }
}

/** AdamW (torch.optim.AdamW): Adam with decoupled weight decay, default weightDecay 0.01. */
export class AdamW extends Adam {
  constructor(params: Iterable<Tensor> | ParamGroupInput<AdamOptions>[], opts: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 0.01, ...checkOptions('optim.AdamW', 2, opts, adamWSpec), decoupled: true });
  }
}
