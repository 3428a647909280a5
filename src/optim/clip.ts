/** Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_). */
import type { Tensor } from '../tensor/tensor.js';

/**
 * Scales all gradients together so their global norm is at most maxNorm. In the curriculum's
 * words: norm = ||g||, rate = threshold / norm, and when rate < 1 every gradient is multiplied by
 * rate. (PyTorch adds 1e-6 to the norm; so do we, to match it.) Returns the norm before clipping.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType = 2): number {
  const grads = [...params].map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return 0;
  let total = 0;
  if (normType === Infinity) {
    for (const g of grads) for (const v of g.data) total = Math.max(total, Math.abs(v));
  } else {
    for (const g of grads) for (const v of g.data) total += Math.abs(v) ** normType;
    total = total ** (1 / normType);
  }
  const rate = maxNorm / (total + 1e-6);
  if (rate < 1) {
    for (const g of grads) {
      const d = g.data as { [i: number]: number; length: number };
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * rate;
    }
  }
  return total;
}

/** Clamps every gradient element into [-clipValue, clipValue]. */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  for (const p of params) {
    if (!p.grad) continue;
    const d = p.grad.data as { [i: number]: number; length: number };
    for (let i = 0; i < d.length; i++) d[i] = Math.min(clipValue, Math.max(-clipValue, d[i]!));
  }
}
