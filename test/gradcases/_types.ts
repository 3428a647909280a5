/**
 * A gradcheck case: float64 inputs and a function of them. Every module in test/gradcases/
 * exports `cases: GradCase[]`; test/registry.test.ts runs them all and proves that every
 * differentiable op in the registry is covered by at least one case.
 */
import type { Tensor } from '../../src/index.js';

export interface GradCase {
  /** Unique, descriptive name, e.g. 'conv2d stride 2 dilation 2 groups 3'. */
  name: string;
  /** Registry names of the ops this case exercises. */
  ops: string[];
  /** Fresh float64 leaves (those with requiresGrad are checked). */
  inputs: () => Tensor[];
  fn: (...xs: Tensor[]) => Tensor;
  /** Also check second derivatives. */
  gradgrad?: boolean;
  eps?: number;
  atol?: number;
  rtol?: number;
}
