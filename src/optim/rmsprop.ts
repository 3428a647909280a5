import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroupInput, type ParamState } from './optimizer.js';

export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  [k: string]: number | boolean;
}

/**
 * RMSprop (torch.optim.RMSprop): v = a v + (1-a) g^2; denominator sqrt(v) + eps (centered:
 * sqrt(v - mean(g)^2) + eps); with momentum b = mu b + g/denominator, p = p - lr b.
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Iterable<Tensor> | ParamGroupInput<RMSpropOptions>[], opts: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, ...opts });
  }

  protected update(p: Float32Array, grad: ArrayLike<number>, _st: ParamState, o: RMSpropOptions, buf: (n: string) => Float32Array): void {
    const { lr, alpha, eps, weightDecay: wd, momentum, centered } = o;
    const sq = buf('squareAvg');
    const gavg = centered ? buf('gradAvg') : null;
    const mb = momentum > 0 ? buf('momentumBuffer') : null;
    for (let i = 0; i < p.length; i++) {
      const g = grad[i]! + wd * p[i]!;
      sq[i] = alpha * sq[i]! + (1 - alpha) * g * g;
      let avg: number;
      if (gavg) {
        gavg[i] = alpha * gavg[i]! + (1 - alpha) * g;
        avg = Math.sqrt(sq[i]! - gavg[i]! * gavg[i]!) + eps;
      } else avg = Math.sqrt(sq[i]!) + eps;
      if (mb) {
        mb[i] = momentum * mb[i]! + g / avg;
        p[i] = p[i]! - lr * mb[i]!;
      } else p[i] = p[i]! - (lr * g) / avg;
    }
  }
}
