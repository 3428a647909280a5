/**
 * The LSTM cell, the one reference definition: every LSTM path in shinsou (nn.LSTM and
 * nn.LSTMCell step by step, lstmLayerReference, the raw-op benchmark) calls it, and the fused
 * kernels (backend/rnn.ts, wasm/assembly/rnn.ts) are tested against it through lstmLayerReference.
 *
 * In the curriculum's notation, with u^t = U h^{t-1} + W x^t (+ b) the gate pre-activations:
 *   a^t = tanh(u_a^t)                          state (cell candidate; PyTorch's g)
 *   i^t = σ(u_i^t)                             input gate
 *   f^t = σ(u_f^t)                             forget gate
 *   c^t = (i^t ⊗ a^t) ⊕ (f^t ⊗ c^{t-1})       CEC memory
 *   o^t = σ(u_o^t)                             output gate
 *   h^t = o^t ⊗ tanh(c^t)
 * With peephole connections the gates also look at the cell: i^t and f^t add w_ci ⊗ c^{t-1} and
 * w_cf ⊗ c^{t-1}, o^t adds w_co ⊗ c^t (the new state).
 */
import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { add } from '../elementwise/add.js';
import { mul } from '../elementwise/mul.js';
import { sigmoid } from '../elementwise/sigmoid.js';
import { tanh } from '../elementwise/tanh.js';
import { narrow } from '../shape/narrow.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/** Diagonal peephole weights [H] each: cell -> input gate, cell -> forget gate, cell -> output gate. */
export interface LstmPeephole {
  ci: Tensor;
  cf: Tensor;
  co: Tensor;
}

/**
 * One LSTM step from the gate pre-activations u [B, 4H] (PyTorch's gate order i, f, g, o: W_ih x^t +
 * b_ih + W_hh h^{t-1} + b_hh) and the previous cell state cPrev [B, H]. Returns h^t and c^t, [B, H]
 * each. Composed of public ops, so its gradient (of any order) is theirs.
 *   c^t = f ⊗ c^{t-1} + i ⊗ tanh(u_g),  h^t = o ⊗ tanh(c^t),  i, f, o = σ(u_i, u_f, u_o) [+ peepholes]
 * @example const { h, c } = lstmCell(add(matmul(x, wIhT), matmul(h0, wHhT)), c0) // x [B, in], h0 c0 [B, H]
 */
export function lstmCell(u: Tensor, cPrev: Tensor, peephole: LstmPeephole | null = null): { h: Tensor; c: Tensor } {
  checkTensor('lstmCell', u);
  checkTensor('lstmCell', cPrev, 'argument 2 (cPrev)');
  const H = cPrev.shape[1];
  if (u.ndim !== 2 || cPrev.ndim !== 2 || H === undefined || u.shape[0] !== cPrev.shape[0] || u.shape[1] !== 4 * H) {
    throw new Error(`lstmCell: expected gates u [B, 4H] and cPrev [B, H], got u ${fmtShape(u.shape)} and cPrev ${fmtShape(cPrev.shape)}`);
  }
  let i: Tensor;
  let f: Tensor;
  if (peephole) {
    i = sigmoid(add(narrow(u, 1, 0, H), mul(peephole.ci, cPrev)));
    f = sigmoid(add(narrow(u, 1, H, H), mul(peephole.cf, cPrev)));
  } else {
    // Both gates in one sigmoid: one op instead of two on each step.
    const inf = sigmoid(narrow(u, 1, 0, 2 * H));
    i = narrow(inf, 1, 0, H);
    f = narrow(inf, 1, H, H);
  }
  const a = tanh(narrow(u, 1, 2 * H, H));
  // c^t = (i^t ⊗ a^t) ⊕ (f^t ⊗ c^{t-1}): the error flows back along c through f alone, not
  // squashed at every step (the constant error carousel).
  const c = add(mul(f, cPrev), mul(i, a));
  const uo = narrow(u, 1, 3 * H, H);
  const o = sigmoid(peephole ? add(uo, mul(peephole.co, c)) : uo);
  return { h: mul(o, tanh(c)), c };
}
defineOp('lstmCell', 'differentiable');
