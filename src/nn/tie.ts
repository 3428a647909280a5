/**
 * Weight tying (Press & Wolf 2017, "Using the Output Embedding to Improve Language Models"; used by
 * Vaswani et al. 2017, section 3.4): the output projection of a language or translation model
 * shares its matrix with the input embedding, logits = h E^T (+ b). Both layouts are [V, d] in
 * PyTorch (nn.Embedding(V, d).weight and nn.Linear(d, V).weight), so the same Parameter serves both.
 */
import { fmtShape } from '../tensor/shape.js';
import { checkRest, describe } from '../tensor/validate.js';
import { Linear } from './layers/linear.js';
import { Embedding } from './layers/basic.js';
import type { Parameter } from './parameter.js';

/**
 * Makes `output.weight` the very Parameter of `embedding.weight` (as `head.weight = emb.weight` in
 * PyTorch). One tensor, one gradient (the two uses add up), one optimizer entry (parameters() lists
 * a shared parameter once); the state dict keeps both keys, as PyTorch's does, and loading it fills
 * the shared tensor. The output layer keeps its own bias.
 * @example
 * const emb = new nn.Embedding(1000, 64), head = new nn.Linear(64, 1000);
 * nn.tieWeights(head, emb); // head.weight === emb.weight
 */
export function tieWeights(output: Linear, embedding: Embedding, ...extra: never[]): void {
  const fn = 'tieWeights';
  if (!(output instanceof Linear)) throw new TypeError(`${fn}: argument 1 (output) must be an nn.Linear, got ${describe(output)}`);
  if (!(embedding instanceof Embedding))
    throw new TypeError(`${fn}: argument 2 (embedding) must be an nn.Embedding, got ${describe(embedding)}`);
  checkRest(fn, extra, 2, `${fn}(output, embedding)`);
  const w = embedding.weight;
  if (output.weight.shape[0] !== w.shape[0] || output.weight.shape[1] !== w.shape[1]) {
    throw new Error(
      `${fn}: output weight ${fmtShape(output.weight.shape)} ([out, in] = [V, d]) and embedding weight ${fmtShape(w.shape)} ([V, d]) differ`,
    );
  }
  output.registerParameter('weight', w);
  // The field Linear.forward reads: readonly to users, replaced here together with the registration.
  (output as { weight: Parameter }).weight = w;
}
