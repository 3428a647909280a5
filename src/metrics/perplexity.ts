import { Tensor } from '../tensor/tensor.js';
import { checkRest, describe } from '../tensor/validate.js';

/**
 * Perplexity = exp(mean negative log-likelihood per token), from per-token NLLs (a tensor or
 * numbers) or from a single mean NLL (e.g. crossEntropy's 'mean' output).
 * @example perplexity(crossEntropy(logits, targets).item())
 */
export function perplexity(nll: number | readonly number[] | Tensor, ...extra: never[]): number {
  const ok = typeof nll === 'number' || nll instanceof Tensor || (Array.isArray(nll) && nll.every((v) => typeof v === 'number'));
  if (!ok) throw new TypeError(`perplexity: argument 1 (nll) must be a number, a list of numbers or a Tensor, got ${describe(nll)}`);
  checkRest('perplexity', extra, 1, 'perplexity(nll)');
  if (typeof nll === 'number') return Math.exp(nll);
  const vals: ArrayLike<number> = nll instanceof Tensor ? nll.data : nll;
  if (vals.length === 0) throw new Error('perplexity: no values');
  let s = 0;
  for (let i = 0; i < vals.length; i++) s += vals[i]!;
  return Math.exp(s / vals.length);
}
