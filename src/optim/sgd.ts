import type { Tensor } from '../tensor/tensor.js';
import { sgdUpdate } from '../backend/optim.js';
import { Optimizer, roundingFor, withDefaults, type ParamGroupInput, type ParamState } from './optimizer.js';
import { describe, isPlainObject } from '../tensor/validate.js';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  [k: string]: number | boolean;
}

/**
 * Stochastic gradient descent with momentum (torch.optim.SGD):
 * g = grad + wd p; b = mu b + (1 - dampening) g (b = g at the first step);
 * g = nesterov ? g + mu b : b; p = p - lr g.
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Iterable<Tensor> | ParamGroupInput<SGDOptions>[], opts: Partial<SGDOptions> & { lr: number }) {
    if (!isPlainObject(opts) || opts.lr === undefined) {
      throw new TypeError(
        `optim.SGD: argument 2 must be an options object with lr (SGD has no default learning rate), got ${describe(opts)}`,
      );
    }
    const o = withDefaults<SGDOptions>('SGD', { lr: 0, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false }, opts);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0))
      throw new Error('SGD: Nesterov momentum requires a momentum and zero dampening');
    if (!(o.lr >= 0)) throw new Error(`SGD: invalid learning rate ${o.lr}`);
    super(params, o);
  }

  protected update(p: Float32Array, grad: ArrayLike<number>, st: ParamState, o: SGDOptions, buf: (n: string) => Float32Array): void {
    const r = roundingFor(p);
    const c = { lr: r(o.lr), mu: r(o.momentum), damp: r(1 - o.dampening), wd: r(o.weightDecay) };
    const { lr, mu, damp, wd } = c;
    const { nesterov } = o;
    const first = st.step === 1;
    const b = o.momentum !== 0 ? buf('momentumBuffer') : null;
    if (sgdUpdate(p, grad, b, first, nesterov, c)) return; // float32 in wasm, same bits as this loop
    for (let i = 0; i < p.length; i++) {
      let g = r(grad[i]! + r(wd * p[i]!));
      if (b) {
        b[i] = first ? g : r(r(mu * b[i]!) + r(damp * g));
        g = nesterov ? r(g + r(mu * b[i]!)) : b[i]!;
      }
      p[i] = r(p[i]! - r(lr * g));
    }
  }
}
