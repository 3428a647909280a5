import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, type ParamGroupInput, type ParamState } from './optimizer.js';

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
    const o: SGDOptions = { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...opts };
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new Error('SGD: Nesterov momentum requires a momentum and zero dampening');
    if (!(o.lr >= 0)) throw new Error(`SGD: invalid learning rate ${o.lr}`);
    super(params, o);
  }

  protected update(p: Float32Array, grad: ArrayLike<number>, st: ParamState, o: SGDOptions, buf: (n: string) => Float32Array): void {
    const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = o;
    const b = mu !== 0 ? buf('momentumBuffer') : null;
    for (let i = 0; i < p.length; i++) {
      let g = grad[i]! + wd * p[i]!;
      if (b) {
        b[i] = st.step === 1 ? g : mu * b[i]! + (1 - dampening) * g;
        g = nesterov ? g + mu * b[i]! : b[i]!;
      }
      p[i] = p[i]! - lr * g;
    }
  }
}
