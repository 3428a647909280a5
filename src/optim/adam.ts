import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroupInput, type ParamState } from './optimizer.js';

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
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Iterable<Tensor> | ParamGroupInput<AdamOptions>[], opts: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, decoupled: false, ...opts });
  }

  protected update(p: Float32Array, grad: ArrayLike<number>, st: ParamState, o: AdamOptions, buf: (n: string) => Float32Array): void {
    const { lr, beta1, beta2, eps, weightDecay: wd, amsgrad, decoupled } = o;
    const m = buf('expAvg');
    const v = buf('expAvgSq');
    const vmax = amsgrad ? buf('maxExpAvgSq') : null;
    const bc1 = 1 - beta1 ** st.step;
    const bc2 = Math.sqrt(1 - beta2 ** st.step);
    const stepSize = lr / bc1;
    for (let i = 0; i < p.length; i++) {
      let g = grad[i]!;
      if (decoupled) p[i] = p[i]! * (1 - lr * wd);
      else if (wd !== 0) g += wd * p[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * g;
      v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
      let vi = v[i]!;
      if (vmax) {
        vmax[i] = Math.max(vmax[i]!, vi);
        vi = vmax[i]!;
      }
      p[i] = p[i]! - (stepSize * m[i]!) / (Math.sqrt(vi) / bc2 + eps);
    }
  }
}

/** AdamW (torch.optim.AdamW): Adam with decoupled weight decay, default weightDecay 0.01. */
export class AdamW extends Adam {
  constructor(params: Iterable<Tensor> | ParamGroupInput<AdamOptions>[], opts: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 0.01, ...opts, decoupled: true });
  }
}
