/** Every activation as a module, as torch.nn.ReLU etc. */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { relu } from '../../ops/elementwise/relu.js';
import { relu6 } from '../../ops/elementwise/relu6.js';
import { leakyRelu } from '../../ops/elementwise/leakyRelu.js';
import { elu } from '../../ops/elementwise/elu.js';
import { gelu } from '../../ops/elementwise/gelu.js';
import { sigmoid } from '../../ops/elementwise/sigmoid.js';
import { tanh } from '../../ops/elementwise/tanh.js';
import { softplus } from '../../ops/elementwise/softplus.js';
import { silu } from '../../ops/elementwise/silu.js';
import { hardtanh } from '../../ops/elementwise/hardtanh.js';
import { softmax } from '../../ops/normalization/softmax.js';
import { logSoftmax } from '../../ops/normalization/logSoftmax.js';
import { checkCtor } from '../../tensor/validate.js';

export class ReLU extends Module {
  constructor() {
    super();
    checkCtor('nn.ReLU', [], arguments);
  }
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}
export class ReLU6 extends Module {
  constructor() {
    super();
    checkCtor('nn.ReLU6', [], arguments);
  }
  forward(x: Tensor): Tensor {
    return relu6(x);
  }
}
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkCtor('nn.LeakyReLU', [['negativeSlope', 'number', true]], arguments);
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    checkCtor('nn.ELU', [['alpha', 'number', true]], arguments);
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
    checkCtor('nn.GELU', [['approximate', ['none', 'tanh'], true]], arguments);
  }
  forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}
export class Sigmoid extends Module {
  constructor() {
    super();
    checkCtor('nn.Sigmoid', [], arguments);
  }
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}
export class Tanh extends Module {
  constructor() {
    super();
    checkCtor('nn.Tanh', [], arguments);
  }
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
    checkCtor(
      'nn.Softplus',
      [
        ['beta', 'number', true],
        ['threshold', 'number', true],
      ],
      arguments,
    );
  }
  forward(x: Tensor): Tensor {
    return softplus(x, { beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}
export class SiLU extends Module {
  constructor() {
    super();
    checkCtor('nn.SiLU', [], arguments);
  }
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}
export class Hardtanh extends Module {
  constructor(
    readonly minVal = -1,
    readonly maxVal = 1,
  ) {
    super();
    checkCtor(
      'nn.Hardtanh',
      [
        ['minVal', 'number', true],
        ['maxVal', 'number', true],
      ],
      arguments,
    );
  }
  forward(x: Tensor): Tensor {
    return hardtanh(x, { minVal: this.minVal, maxVal: this.maxVal });
  }
  override extraRepr(): string {
    return `min_val=${this.minVal}, max_val=${this.maxVal}`;
  }
}
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
    checkCtor('nn.Softmax', [['dim', 'int']], arguments);
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
    checkCtor('nn.LogSoftmax', [['dim', 'int']], arguments);
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
