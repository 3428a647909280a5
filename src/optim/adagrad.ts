import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, withDefaults, type ParamGroupInput, type ParamState } from './optimizer.js';

export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  [k: string]: number;
}

/** AdaGrad (torch.optim.Adagrad): s = s + g^2; p = p - lr/(1 + (t-1) lrDecay) * g / (sqrt(s) + eps). */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Iterable<Tensor> | ParamGroupInput<AdagradOptions>[], opts: Partial<AdagradOptions> = {}) {
    super(params, withDefaults('Adagrad', { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 }, opts));
  }

  protected update(
    p: Float32Array,
    grad: ArrayLike<number>,
    st: ParamState,
    o: AdagradOptions,
    buf: (n: string, init?: number) => Float32Array,
  ): void {
    const s = buf('sum', o.initialAccumulatorValue);
    const clr = o.lr / (1 + (st.step - 1) * o.lrDecay);
    for (let i = 0; i < p.length; i++) {
      const g = grad[i]! + o.weightDecay * p[i]!;
      s[i] = s[i]! + g * g;
      p[i] = p[i]! - (clr * g) / (Math.sqrt(s[i]!) + o.eps);
    }
  }
}
