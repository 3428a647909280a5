/**
 * The GRU cell, the one reference definition: nn.GRU and nn.GRUCell step by step and
 * gruLayerReference call it, and the fused kernels (backend/rnn.ts, wasm/assembly/rnn.ts) are
 * tested against it through gruLayerReference.
 *
 * In the curriculum's notation:
 *   z^t = σ(W_z x^t + U_z h^{t-1} + b_z)            update gate
 *   r^t = σ(W_r x^t + U_r h^{t-1} + b_r)            reset gate
 *   c   = tanh(W_h x^t + U_h (r^t ⊗ h^{t-1}))        candidate
 *   h^t = (z^t ⊗ c) ⊕ ((1 - z^t) ⊗ h^{t-1})
 * shinsou follows PyTorch (and cuDNN) in two details, so torch weights load and agree: the reset
 * gate multiplies U_h h^{t-1} + b_hn after the matmul, c = tanh(W_h x^t + b_in + r^t ⊗ (U_h h^{t-1}
 * + b_hn)), and PyTorch's z keeps the old state, h^t = (1 - z^t) ⊗ c + z^t ⊗ h^{t-1} (its z is the
 * curriculum's 1 - z).
 */
import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { add } from '../elementwise/add.js';
import { mul } from '../elementwise/mul.js';
import { sigmoid } from '../elementwise/sigmoid.js';
import { sub } from '../elementwise/sub.js';
import { tanh } from '../elementwise/tanh.js';
import { narrow } from '../shape/narrow.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * One GRU step in PyTorch's gate order r, z, n, from the input side xp = W_ih x^t + b_ih [B, 3H],
 * the hidden side q = W_hh h^{t-1} + b_hh [B, 3H] and hPrev [B, H]. Returns h^t [B, H]. Composed
 * of public ops, so its gradient (of any order) is theirs.
 *   r, z = σ(xp_r + q_r, xp_z + q_z),  n = tanh(xp_n + r ⊗ q_n),  h^t = (1 - z) ⊗ n + z ⊗ h^{t-1}
 * @example const h1 = gruCell(add(matmul(x, wIhT), bIh), add(matmul(h0, wHhT), bHh), h0)
 */
export function gruCell(xp: Tensor, q: Tensor, hPrev: Tensor): Tensor {
  checkTensor('gruCell', xp);
  checkTensor('gruCell', q, 'argument 2 (q)');
  checkTensor('gruCell', hPrev, 'argument 3 (hPrev)');
  const H = hPrev.shape[1];
  const B = hPrev.shape[0];
  const ok = (t: Tensor): boolean => t.ndim === 2 && t.shape[0] === B && t.shape[1] === 3 * (H ?? NaN);
  if (hPrev.ndim !== 2 || H === undefined || !ok(xp) || !ok(q)) {
    throw new Error(
      `gruCell: expected xp and q [B, 3H] and hPrev [B, H], got xp ${fmtShape(xp.shape)}, q ${fmtShape(q.shape)}, hPrev ${fmtShape(hPrev.shape)}`,
    );
  }
  // Reset and update gates in one sigmoid.
  const rz = sigmoid(add(narrow(xp, 1, 0, 2 * H), narrow(q, 1, 0, 2 * H)));
  const r = narrow(rz, 1, 0, H);
  const z = narrow(rz, 1, H, H);
  const n = tanh(add(narrow(xp, 1, 2 * H, H), mul(r, narrow(q, 1, 2 * H, H))));
  // (1 - z) ⊗ n + z ⊗ h^{t-1}, written with one product less.
  return add(n, mul(z, sub(hPrev, n)));
}
defineOp('gruCell', 'differentiable');
