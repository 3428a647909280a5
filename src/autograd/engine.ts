/**
 * Reverse-mode autograd. Walks the graph from the outputs in reverse topological order, calls each
 * node's backward once all gradients reaching it have been summed, and accumulates into leaves.
 * After a pass the graph frees itself (each node drops its backward closure and with it the saved
 * tensors) unless retainGraph is set.
 */
import { Tensor } from '../tensor/tensor.js';
import { contiguousStrides, fmtShape, shapesEqual } from '../tensor/shape.js';
import { backendOf } from '../backend/index.js';
import { onesLike } from '../tensor/creation.js';
import { add } from '../ops/elementwise/add.js';
import { Node, takeFresh } from './node.js';
import { withGradMode } from './grad-mode.js';
import { versionOf } from './version.js';

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again. Defaults to createGraph. */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order gradients. */
  createGraph?: boolean;
}

export interface GradOptions extends BackwardOptions {
  /** Gradients of the outputs (required for non-scalar outputs). */
  gradOutputs?: (Tensor | null)[] | Tensor;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

function rootGradient(t: Tensor, g: Tensor | null | undefined, where: string): Tensor {
  if (!t.requiresGrad) {
    throw new Error(`${where}: tensor of shape ${fmtShape(t.shape)} does not require grad and has no gradFn`);
  }
  if (g == null) {
    if (t.numel() !== 1) {
      throw new Error(
        `${where}: grad can be implicitly created only for scalar outputs; got shape ${fmtShape(t.shape)}, ` +
          'pass a gradient of the same shape',
      );
    }
    return onesLike(t);
  }
  if (!shapesEqual(g.shape, t.shape)) {
    throw new Error(`${where}: gradient shape ${fmtShape(g.shape)} does not match output shape ${fmtShape(t.shape)}`);
  }
  return g;
}

/** Nodes reachable from the roots, each with the number of graph edges pointing at it. */
function collect(roots: readonly Node[]): Map<Node, number> {
  const deps = new Map<Node, number>();
  const stack: Node[] = [];
  for (const r of roots) {
    if (!deps.has(r)) {
      deps.set(r, 0);
      stack.push(r);
    }
  }
  while (stack.length) {
    const n = stack.pop()!;
    for (const t of n.inputs) {
      const c = t?.requiresGrad ? t.gradFn : null;
      if (!c) continue;
      const seen = deps.get(c);
      deps.set(c, (seen ?? 0) + 1);
      if (seen === undefined) stack.push(c);
    }
  }
  return deps;
}

/**
 * The engine shared by Tensor.backward and grad(). With `capture`, gradients reaching the given
 * tensors are returned instead of being accumulated into .grad.
 */
function run(
  outputs: readonly Tensor[],
  gradOutputs: readonly Tensor[],
  opts: BackwardOptions,
  capture: readonly Tensor[] | null,
): (Tensor | null)[] {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const captured = new Map<Tensor, Tensor>();
  const captureSet = new Set(capture ?? []);
  const owned = new Set<ArrayBufferLike>();
  for (const g of gradOutputs) owned.add(g.storage.buffer);

  // Sums created by this pass are referenced nowhere else until handed to a backward function:
  // later contributions are added into them in place (a weight used at every step of an unrolled
  // RNN would otherwise allocate a new gradient per step).
  const made = new Set<Tensor>();
  const accumulate = (prev: Tensor, g: Tensor): Tensor => {
    if (!createGraph && made.has(prev) && addInPlace(prev, g)) return prev;
    const r = add(prev, g);
    made.add(r);
    return r;
  };
  // `claimed`: g was created by the backward that returned it, for this input only (see markFresh).
  const sumInto = <K>(map: Map<K, Tensor>, key: K, g: Tensor, claimed = false): void => {
    const prev = map.get(key);
    if (prev === g && made.has(g)) return; // the backward added into the sum it was offered (see BackwardFn)
    if (!prev && claimed && !createGraph && g.isContiguous()) made.add(g); // no one else holds it
    map.set(key, prev ? accumulate(prev, g) : g);
  };
  const toLeaf = (t: Tensor, g: Tensor, claimed = false): void => {
    if (captureSet.has(t)) return sumInto(captured, t, g, claimed);
    if (capture) return;
    if (t.grad === g && made.has(g)) return; // accumulated in place into this pass's sum
    // .grad must be a dense tensor of its own: backward may hand the same tensor (or a broadcast
    // view) to several inputs, and users modify .grad in place (clipping, optimizers).
    let own = g;
    if (!createGraph && (owned.has(g.storage.buffer) || !g.isContiguous() || g.offset !== 0 || g.storage.length !== g.numel())) {
      own = cloneTensor(g);
      made.add(own);
    }
    if (claimed && !createGraph && own === g && g.isContiguous()) made.add(own);
    owned.add(own.storage.buffer);
    t.grad = t.grad ? accumulate(t.grad, own) : own;
  };

  const roots: Node[] = [];
  const pending = new Map<Node, Tensor>();
  outputs.forEach((t, i) => {
    const g = gradOutputs[i]!;
    if (t.gradFn) {
      roots.push(t.gradFn);
      sumInto(pending, t.gradFn, g);
    } else toLeaf(t, g);
  });
  const deps = collect(roots);
  const ready: Node[] = roots.filter((r) => deps.get(r) === 0);

  withGradMode(createGraph, () => {
    while (ready.length) {
      const node = ready.pop()!;
      const g = pending.get(node)!;
      pending.delete(node);
      made.delete(g); // from here on g may be shared (a backward can pass it on unchanged)
      if (node.retained) sumIntoGrad(node.retained, g, createGraph);
      for (const t of captureSet) if (t.gradFn === node) sumInto(captured, t, g);
      const fn = node.backwardFn;
      if (!fn) {
        throw new Error(
          `backward: trying to backward through the graph a second time (op '${node.name}' already freed ` +
            'its saved tensors); pass { retainGraph: true } to the first backward() or grad() call',
        );
      }
      if (node.versions) checkVersions(node);
      const grads = createGraph ? fn(g) : fn(g, offeredSums(node));
      if (!retainGraph) node.backwardFn = null;
      // A fresh gradient is the engine's own only if the backward returned it for one input.
      const fresh = grads.map((gi) => !!gi && takeFresh(gi));
      const claimed = grads.map((gi, i) => fresh[i]! && grads.indexOf(gi) === grads.lastIndexOf(gi));
      node.inputs.forEach((inp, i) => {
        if (!inp || !inp.requiresGrad) return;
        const gi = grads[i];
        if (gi == null) {
          throw new Error(
            `backward: op '${node.name}' has no gradient for its input ${i} (shape ${fmtShape(inp.shape)}); ` +
              'the op does not define this gradient (it is never silently taken as zero)',
          );
        }
        if (!shapesEqual(gi.shape, inp.shape)) {
          throw new Error(
            `backward: op '${node.name}' produced a gradient of shape ${fmtShape(gi.shape)} for input ${i} ` +
              `of shape ${fmtShape(inp.shape)}`,
          );
        }
        const next = inp.gradFn;
        if (next) {
          sumInto(pending, next, gi, claimed[i]);
          const left = deps.get(next)! - 1;
          deps.set(next, left);
          if (left === 0) ready.push(next);
        } else toLeaf(inp, gi, claimed[i]);
      });
    }
  });
  return (capture ?? []).map((t) => captured.get(t) ?? null);

  /** For each input, the gradient sum this pass made for it so far (private to the engine), or null. */
  function offeredSums(node: Node): (Tensor | null)[] {
    return node.inputs.map((inp) => {
      if (!inp || !inp.requiresGrad) return null;
      let sum: Tensor | null | undefined;
      if (inp.gradFn) sum = pending.get(inp.gradFn);
      else if (captureSet.has(inp)) sum = captured.get(inp);
      else if (!capture) sum = inp.grad;
      return sum && made.has(sum) && sum.isContiguous() && sum.dtype === inp.dtype && shapesEqual(sum.shape, inp.shape) ? sum : null;
    });
  }
}

function checkVersions(node: Node): void {
  node.inputs.forEach((t, i) => {
    if (!t) return;
    const now = versionOf(t);
    if (now !== node.versions![i]) {
      throw new Error(
        `backward: input ${i} (shape ${fmtShape(t.shape)}) of op '${node.name}' was modified by an in-place ` +
          `operation after the op used it (version ${now}, expected ${node.versions![i]}); ` +
          'its gradient would be wrong. Clone the tensor before changing it in place.',
      );
    }
  });
}

/** dst += g elementwise when dst is a dense tensor of g's shape and dtype; false otherwise. */
function addInPlace(dst: Tensor, g: Tensor): boolean {
  if (dst.dtype !== g.dtype || !shapesEqual(dst.shape, g.shape) || !dst.isContiguous()) return false;
  const be = backendOf('backward', dst, g);
  // Same index read and written: safe for an elementwise kernel.
  be.binary(
    'add',
    { storage: dst.storage, shape: dst.shape, strides: contiguousStrides(dst.shape), offset: dst.offset },
    g,
    dst.shape,
    be.dense(dst),
  );
  return true;
}

function cloneTensor(g: Tensor): Tensor {
  const c = Tensor.empty(g.shape, g.dtype, g.device);
  g.backend.copy(g, c.storage);
  return c;
}

function sumIntoGrad(t: Tensor, g: Tensor, createGraph: boolean): void {
  t.grad = t.grad ? add(t.grad, g) : createGraph ? g : cloneTensor(g);
}

/**
 * Computes d(outputs)/d(inputs) and returns them, without touching .grad, as torch.autograd.grad.
 * With createGraph the results are differentiable again (double backward).
 * @example const [dx] = grad(y.sum(), [x], { createGraph: true });
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], opts: GradOptions = {}): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? (outputs as Tensor[]) : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? (inputs as Tensor[]) : [inputs as Tensor];
  const given = opts.gradOutputs === undefined ? [] : Array.isArray(opts.gradOutputs) ? opts.gradOutputs : [opts.gradOutputs];
  const gouts = outs.map((t, i) => rootGradient(t, given[i], 'grad'));
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`grad: input ${i} (shape ${fmtShape(t.shape)}) does not require grad`);
  });
  const res = run(outs, gouts, opts, ins);
  if (!opts.allowUnused) {
    res.forEach((r, i) => {
      if (r === null) {
        throw new Error(`grad: input ${i} (shape ${fmtShape(ins[i]!.shape)}) was not used to compute the outputs; pass allowUnused: true`);
      }
    });
  }
  return res;
}

/** Backward from several outputs at once, as torch.autograd.backward. */
export function backward(outputs: readonly Tensor[], gradOutputs: readonly (Tensor | null)[] = [], opts: BackwardOptions = {}): void {
  run(
    outputs,
    outputs.map((t, i) => rootGradient(t, gradOutputs[i], 'backward')),
    opts,
    null,
  );
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * Accumulates d(this)/d(leaf) into every leaf's .grad. A non-scalar tensor needs `gradient`
     * (the vector in the vector-Jacobian product).
     */
    backward(gradient?: Tensor | null, opts?: BackwardOptions): void;
  }
}
Tensor.prototype.backward = function (this: Tensor, gradient?: Tensor | null, opts: BackwardOptions = {}) {
  run([this], [rootGradient(this, gradient, 'backward')], opts, null);
};
