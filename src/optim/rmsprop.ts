import type { Tensor } from '../tensor/tensor.js';
import { rmspropUpdate } from '../backend/optim.js';
import { Optimizer, roundingFor, withDefaults, type ParamGroupInput, type ParamState } from './optimizer.js';

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
    super(params, withDefaults('RMSprop', { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false }, opts));
  }

  protected update(p: Float32Array, grad: ArrayLike<number>, _st: ParamState, o: RMSpropOptions, buf: (n: string) => Float32Array): void {
    const r = roundingFor(p);
    const cs = { lr: r(o.lr), alpha: r(o.alpha), c: r(1 - o.alpha), eps: r(o.eps), wd: r(o.weightDecay), mu: r(o.momentum) };
    const { lr, alpha, c, eps, wd, mu } = cs;
    const sq = buf('squareAvg');
    const gavg = o.centered ? buf('gradAvg') : null;
    const mb = o.momentum > 0 ? buf('momentumBuffer') : null;
    if (rmspropUpdate(p, grad, sq, gavg, mb, cs)) return; // float32 in wasm, same bits as this loop
    for (let i = 0; i < p.length; i++) {
      const g = r(grad[i]! + r(wd * p[i]!));
      sq[i] = r(r(alpha * sq[i]!) + r(r(c * g) * g));
      let avg: number;
      if (gavg) {
        gavg[i] = r(r(alpha * gavg[i]!) + r(c * g));
        avg = r(r(Math.sqrt(r(sq[i]! - r(gavg[i]! * gavg[i]!)))) + eps);
      } else avg = r(r(Math.sqrt(sq[i]!)) + eps);
      if (mb) {
        mb[i] = r(r(mu * mb[i]!) + r(g / avg));
        p[i] = r(p[i]! - r(lr * mb[i]!));
      } else p[i] = r(p[i]! - r(r(lr * g) / avg));
    }
  }
}
