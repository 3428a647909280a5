/**
 * Optimizer base, as torch.optim.Optimizer: parameter groups with their own hyper-parameters,
 * explicit per-parameter state, and state dicts. Subclasses implement one update per parameter
 * on raw typed arrays (no graph, no temporaries per step).
 */
import { Tensor } from '../tensor/tensor.js';
import { fmtShape } from '../tensor/shape.js';
import { zeros } from '../tensor/creation.js';
import { bumpVersion } from '../autograd/version.js';
import { checkOptions, describe, type Kind, type Spec } from '../tensor/validate.js';

export type Hyper = Record<string, number | boolean | number[]>;

export interface ParamGroup<H extends Hyper = Hyper> {
  params: Tensor[];
  options: H;
}

/** A parameter group as given by the user: the params and any hyper-parameters to override. */
export type ParamGroupInput<H extends Hyper> = { params: Iterable<Tensor> } & Partial<H>;

/** Per-parameter state: a step count and named tensors (momentum buffers, moment estimates). */
export interface ParamState {
  step: number;
  buffers: Record<string, Tensor>;
}

export interface OptimizerStateDict {
  state: Record<number, { step: number; buffers: Record<string, { shape: number[]; data: number[] }> }>;
  paramGroups: { params: number[]; options: Hyper }[];
}

type Writable = { [i: number]: number; length: number };

const exact = (x: number): number => x;

/**
 * The rounding of a parameter's update arithmetic: float32 parameters are updated in float32 (every
 * result rounded, as torch.optim's float32 tensor ops and the wasm kernels do, so both paths give
 * the same bits), float64 parameters in float64.
 */
export function roundingFor(p: ArrayLike<number>): (x: number) => number {
  return p instanceof Float32Array ? Math.fround : exact;
}

/** The options an optimizer understands: the keys of its defaults, each of its default's type. */
function specOf(defaults: Hyper): Spec {
  const spec: Record<string, Kind> = {};
  for (const [k, v] of Object.entries(defaults)) spec[k] = typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : 'any';
  return spec;
}

/**
 * An optimizer's hyper-parameters: its defaults overridden by the user's options, after checking
 * that the options are an object whose keys the optimizer knows (`optim.Adam: unknown option
 * 'betas' (expected lr, beta1, ...)`) and whose values have the defaults' types.
 */
export function withDefaults<H extends Hyper>(cls: string, defaults: H, opts: unknown): H {
  return { ...defaults, ...checkOptions(`optim.${cls}`, 2, opts as Partial<H> | undefined, specOf(defaults)) };
}

export abstract class Optimizer<H extends Hyper = Hyper> {
  readonly paramGroups: ParamGroup<H>[] = [];
  readonly state = new Map<Tensor, ParamState>();

  constructor(
    params: Iterable<Tensor> | ParamGroupInput<H>[],
    protected readonly defaults: H,
  ) {
    if (params == null || params instanceof Tensor || typeof (params as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw new TypeError(
        `optim.${this.constructor.name}: argument 1 (params) must be an iterable of Tensors (e.g. model.parameters()) or a list of parameter groups, got ${describe(params)}`,
      );
    }
    const list = [...(params as Iterable<Tensor | ParamGroupInput<H>>)];
    if (list.length === 0) throw new Error(`${this.constructor.name}: got an empty parameter list`);
    if (list[0] instanceof Tensor) this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupInput<H>);
    else for (const g of list as ParamGroupInput<H>[]) this.addParamGroup(g);
  }

  addParamGroup(group: ParamGroupInput<H>): void {
    if (!(group !== null && typeof group === 'object' && 'params' in group)) {
      throw new TypeError(
        `optim.${this.constructor.name}: a parameter group must be an object {params, ...options}, got ${describe(group)}`,
      );
    }
    const { params, ...overrides } = group;
    checkOptions(`optim.${this.constructor.name}`, 'a parameter group', overrides, specOf(this.defaults));
    const ps = [...params];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const p of ps) {
      if (!(p instanceof Tensor)) throw new Error(`${this.constructor.name}: parameter groups must hold tensors`);
      if (!p.isLeaf) throw new Error(`${this.constructor.name}: can't optimize a non-leaf tensor (shape ${fmtShape(p.shape)})`);
      if (seen.has(p)) throw new Error(`${this.constructor.name}: a parameter appears in more than one group`);
      seen.add(p);
    }
    this.paramGroups.push({ params: ps, options: { ...this.defaults, ...(overrides as unknown as Partial<H>) } });
  }

  /** Sets every parameter's gradient to null. */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        if (!p.isContiguous()) throw new Error(`${this.constructor.name}: parameters must be contiguous`);
        let st = this.state.get(p);
        if (!st) {
          st = { step: 0, buffers: {} };
          this.state.set(p, st);
        }
        st.step += 1;
        bumpVersion(p);
        this.update(p.data as Writable, p.grad.data, st, group.options, (name, init = 0) => {
          let b = st.buffers[name];
          if (!b) {
            b = zeros(p.shape, { dtype: p.dtype === 'float64' ? 'float64' : 'float32' });
            if (init !== 0) b.storage.fill(init);
            st.buffers[name] = b;
          }
          return b.data as Writable;
        });
      }
    }
  }

  /**
   * Updates one parameter in place. `buf(name)` returns a named state array of the parameter's size
   * (created zero-filled, or filled with init, on first use).
   */
  protected abstract update(
    p: Writable,
    grad: ArrayLike<number>,
    state: ParamState,
    options: H,
    buf: (name: string, init?: number) => Writable,
  ): void;

  /** State and groups, with parameters referred to by their index over all groups (as PyTorch). */
  stateDict(): OptimizerStateDict {
    const all = this.paramGroups.flatMap((g) => g.params);
    const state: OptimizerStateDict['state'] = {};
    all.forEach((p, i) => {
      const st = this.state.get(p);
      if (!st) return;
      const buffers: Record<string, { shape: number[]; data: number[] }> = {};
      for (const [k, t] of Object.entries(st.buffers)) buffers[k] = { shape: [...t.shape], data: Array.from(t.data as ArrayLike<number>) };
      state[i] = { step: st.step, buffers };
    });
    let k = 0;
    const paramGroups = this.paramGroups.map((g) => ({ params: g.params.map(() => k++), options: { ...g.options } }));
    return { state, paramGroups };
  }

  loadStateDict(sd: OptimizerStateDict): void {
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(
        `${this.constructor.name}.loadStateDict: ${sd.paramGroups.length} groups in the state, ${this.paramGroups.length} in the optimizer`,
      );
    }
    const all = this.paramGroups.flatMap((g) => g.params);
    sd.paramGroups.forEach((g, i) => {
      if (g.params.length !== this.paramGroups[i]!.params.length) {
        throw new Error(
          `${this.constructor.name}.loadStateDict: group ${i} has ${g.params.length} params in the state, ${this.paramGroups[i]!.params.length} here`,
        );
      }
      this.paramGroups[i]!.options = { ...this.paramGroups[i]!.options, ...(g.options as H) };
    });
    this.state.clear();
    for (const [idx, st] of Object.entries(sd.state)) {
      const p = all[Number(idx)];
      if (!p) throw new Error(`${this.constructor.name}.loadStateDict: state for parameter ${idx}, which does not exist`);
      // Buffer names may come from a file: a null-prototype table keeps '__proto__' an ordinary key.
      const buffers = Object.create(null) as Record<string, Tensor>;
      for (const [k, b] of Object.entries(st.buffers)) {
        if (b.data.length !== p.numel()) {
          throw new Error(
            `${this.constructor.name}.loadStateDict: buffer '${k}' of parameter ${idx} has ${b.data.length} values, parameter has ${p.numel()}`,
          );
        }
        const t = zeros(p.shape, { dtype: p.dtype === 'float64' ? 'float64' : 'float32' });
        t.storage.set(b.data);
        buffers[k] = t;
      }
      this.state.set(p, { step: st.step, buffers });
    }
  }

  /** The learning rate of each group (what schedulers read and write). */
  get lrs(): number[] {
    return this.paramGroups.map((g) => g.options['lr'] as number);
  }
}
