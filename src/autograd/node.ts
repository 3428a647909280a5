import type { Tensor } from '../tensor/tensor.js';
import { isFloat } from '../tensor/dtype.js';
import { isGradEnabled } from './grad-mode.js';
import { profiler } from './profiler.js';
import { versionOf } from './version.js';

/**
 * Computes the gradients of an op's inputs from the gradient of its output. It returns one entry
 * per input (aligned with `inputs`): a tensor, or null for an input that does not require grad.
 * Written with public differentiable ops, so it can itself be differentiated (double backward).
 *
 * `acc` (optional to use): when the engine already holds a gradient sum for input i that this pass
 * created and nobody else can see (a dense tensor of the input's shape and dtype; only without
 * createGraph), acc[i] is that sum. A backward may add its contribution into it in place and return
 * acc[i] itself for input i, saving a temporary and an addition (matmul does: a weight used at every
 * step of an unrolled RNN accumulates its gradient inside the GEMM). It must not read acc[i].
 */
export type BackwardFn = (grad: Tensor, acc?: readonly (Tensor | null)[]) => readonly (Tensor | null | undefined)[];

const freshGrads = new WeakSet<Tensor>();

/**
 * Marks a tensor a backward function has just created and keeps no other reference to (a new
 * dense gradient, not a view and not one of its arguments): the engine may then add later
 * contributions into it in place (and offer it to other backwards, see BackwardFn).
 */
export function markFresh<T extends Tensor>(t: T): T {
  freshGrads.add(t);
  return t;
}

/** Whether markFresh was called on t; the mark is used up (a gradient is claimed once, by the engine). */
export function takeFresh(t: Tensor): boolean {
  return freshGrads.delete(t);
}

/** One recorded op in the graph. Every op has exactly one output, so a node stands for a tensor. */
export class Node {
  /** Set to null once backward has run without retainGraph: the saved tensors are released. */
  backwardFn: BackwardFn | null;
  /** The non-leaf tensor whose .grad should be kept (retainGrad()). */
  retained: Tensor | null = null;
  /** Storage versions of the inputs at record time (null: the backward reads no input values). */
  versions: number[] | null = null;

  constructor(
    readonly name: string,
    readonly inputs: readonly (Tensor | null)[],
    backwardFn: BackwardFn,
    readonly outShape: readonly number[],
  ) {
    this.backwardFn = backwardFn;
  }

  toString(): string {
    return `<${this.name}Backward>`;
  }
}

/**
 * Attaches a graph node to `out` when grad mode is on and some float input requires grad.
 * Integer/bool outputs never carry gradients (as in PyTorch). The inputs' storage versions are
 * remembered so that backward can refuse to run on values changed in place since.
 */
export function record<T extends Tensor>(
  name: string,
  inputs: readonly (Tensor | null | undefined)[],
  out: T,
  backward: BackwardFn,
  /** False for ops whose backward never reads its inputs' values (add, views): in-place edits of them are harmless. */
  readsInputs = true,
): T {
  if (!isGradEnabled() || !isFloat(out.dtype)) return out;
  let needed = false;
  for (const t of inputs) if (t && t.requiresGrad) needed = true;
  if (!needed) return out;
  out.requiresGrad = true;
  const fn = profiler.active ? profiler.onRecord(name, backward) : backward; // opt-in per-op timing
  const node = new Node(
    name,
    inputs.map((t) => t ?? null),
    fn,
    out.shape,
  );
  if (readsInputs) node.versions = inputs.map((t) => (t ? versionOf(t) : 0));
  out.gradFn = node;
  return out;
}
