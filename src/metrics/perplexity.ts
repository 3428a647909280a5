import type { Tensor } from '../tensor/tensor.js';

/**
 * Perplexity = exp(mean negative log-likelihood per token), from per-token NLLs (a tensor or
 * numbers) or from a single mean NLL (e.g. crossEntropy's 'mean' output).
 * @example perplexity(crossEntropy(logits, targets).item())
 */
export function perplexity(nll: number | readonly number[] | Tensor): number {
  if (typeof nll === 'number') return Math.exp(nll);
  const vals: ArrayLike<number> = Array.isArray(nll) ? (nll as number[]) : (nll as Tensor).data;
  if (vals.length === 0) throw new Error('perplexity: no values');
  let s = 0;
  for (let i = 0; i < vals.length; i++) s += vals[i]!;
  return Math.exp(s / vals.length);
}
