/**
 * Module: the base of every layer and model, as torch.nn.Module. Parameters, buffers and child
 * modules are registered explicitly (this.param, this.buffer, this.module), in order, which gives
 * PyTorch-compatible dotted state-dict keys ("features.0.weight").
 */
import { Tensor } from '../tensor/tensor.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { bumpVersion } from '../autograd/version.js';
import { Parameter } from './parameter.js';

export type StateDict = Record<string, Tensor>;

/** What loadFile / decodeSafetensors return: loadStateDict takes it and loads its tensors. */
export interface StateDictFile {
  tensors: StateDict;
  metadata?: Record<string, string>;
}

function isStateDictFile(v: unknown): v is StateDictFile {
  if (v === null || typeof v !== 'object') return false;
  const keys = Object.keys(v);
  const o = v as Record<string, unknown>;
  return (
    keys.includes('tensors') &&
    keys.every((k) => k === 'tensors' || k === 'metadata') &&
    o['tensors'] !== null &&
    typeof o['tensors'] === 'object' &&
    !(o['tensors'] instanceof Tensor)
  );
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'no prototype'})`;
  return typeof v;
}

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
  /** Keys present on both sides whose shapes differ ("key: model [a, b] vs state [c, d]"). */
  mismatched: string[];
}

export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** Train mode (dropout active, batch statistics) or eval mode. */
  training = true;
  private readonly _params = new Map<string, Parameter | null>();
  private readonly _buffers = new Map<string, { t: Tensor | null; persistent: boolean }>();
  private readonly _modules = new Map<string, Module<any, any> | null>();

  abstract forward(...args: In): Out;

  /** Runs forward (the equivalent of calling a torch module). */
  call(...args: In): Out {
    return this.forward(...args);
  }

  /** Registers (or replaces) a parameter and returns it. A null slot keeps the name (e.g. bias=false). */
  protected param<P extends Tensor | null>(name: string, t: P): P extends Tensor ? Parameter : null {
    checkName(name, this);
    const p = t === null ? null : t instanceof Parameter ? t : new Parameter(t);
    this._params.set(name, p);
    return p as P extends Tensor ? Parameter : null;
  }

  /**
   * Registers or replaces the parameter `name` from outside the module (torch's register_parameter).
   * The layer's own field that holds the old parameter is not updated: use it through helpers that
   * update both, such as nn.tieWeights.
   */
  registerParameter(name: string, p: Parameter | null): void {
    if (p !== null && !(p instanceof Parameter)) {
      throw new TypeError(`${this.constructor.name}.registerParameter: '${name}' must be a Parameter or null, got ${describe(p)}`);
    }
    this.param(name, p);
  }

  /** Registers a buffer: state saved in the state dict but not trained (e.g. running means). */
  protected buffer<T extends Tensor | null>(name: string, t: T, persistent = true): T {
    checkName(name, this);
    this._buffers.set(name, { t, persistent });
    return t;
  }

  /** Registers a child module and returns it. */
  protected module<M extends Module<any, any> | null>(name: string, m: M): M {
    checkName(name, this);
    this._modules.set(name, m);
    return m;
  }

  /** Replaces a registered buffer's tensor (e.g. BatchNorm's running stats after an update). */
  protected setBuffer(name: string, t: Tensor): void {
    const b = this._buffers.get(name);
    if (!b) throw new Error(`${this.constructor.name}: no buffer named '${name}'`);
    b.t = t;
  }

  /** Looks up a registered parameter, buffer or child module by (dotted) name. */
  get(path: string): Tensor | Module<any, any> | null {
    const parts = path.split('.');
    let m: Module<any, any> = this;
    for (let i = 0; i < parts.length - 1; i++) {
      const c = m._modules.get(parts[i]!);
      if (!c) throw new Error(`${this.constructor.name}.get: no submodule '${parts.slice(0, i + 1).join('.')}'`);
      m = c;
    }
    const last = parts[parts.length - 1]!;
    if (m._params.has(last)) return m._params.get(last)!;
    if (m._buffers.has(last)) return m._buffers.get(last)!.t;
    if (m._modules.has(last)) return m._modules.get(last)!;
    throw new Error(`${this.constructor.name}.get: nothing registered as '${path}'`);
  }

  *namedChildren(): Generator<[string, Module<any, any>]> {
    for (const [n, m] of this._modules) if (m) yield [n, m];
  }

  *children(): Generator<Module<any, any>> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and all descendants, depth first, with dotted names ('' for this one). */
  *namedModules(prefix = ''): Generator<[string, Module<any, any>]> {
    yield [prefix, this];
    for (const [n, m] of this.namedChildren()) yield* m.namedModules(prefix ? `${prefix}.${n}` : n);
  }

  *modules(): Generator<Module<any, any>> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** Every parameter with its dotted name; a parameter shared by two modules is listed once. */
  *namedParameters(prefix = ''): Generator<[string, Parameter]> {
    const seen = new Set<Parameter>();
    for (const [mp, m] of this.namedModules(prefix)) {
      for (const [n, p] of m._params) {
        if (!p || seen.has(p)) continue;
        seen.add(p);
        yield [mp ? `${mp}.${n}` : n, p];
      }
    }
  }

  parameters(): Parameter[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  *namedBuffers(prefix = ''): Generator<[string, Tensor]> {
    for (const [mp, m] of this.namedModules(prefix)) {
      for (const [n, b] of m._buffers) if (b.t) yield [mp ? `${mp}.${n}` : n, b.t];
    }
  }

  buffers(): Tensor[] {
    return [...this.namedBuffers()].map(([, b]) => b);
  }

  /** Number of parameter elements (trainable only by default). */
  numParameters(trainableOnly = true): number {
    return this.parameters()
      .filter((p) => !trainableOnly || p.requiresGrad)
      .reduce((s, p) => s + p.numel(), 0);
  }

  /** Calls fn on every module (children first, then this), as torch's apply. */
  apply(fn: (m: Module<any, any>) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (set to null, as PyTorch's default set_to_none). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Parameters and persistent buffers by dotted name, in registration order, sharing storage with
   * the module (detached). The keys and layouts are PyTorch's, so torch state dicts load by name.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [mp, m] of this.namedModules()) {
      const key = (n: string): string => (mp ? `${mp}.${n}` : n);
      for (const [n, p] of m._params) if (p) out[key(n)] = p.detach();
      for (const [n, b] of m._buffers) if (b.t && b.persistent) out[key(n)] = b.t.detach();
    }
    return out;
  }

  /**
   * Copies tensors from a state dict into this module's parameters and buffers (values are copied,
   * dtypes converted). strict (default) throws listing missing, unexpected and mis-shaped keys;
   * non-strict loads what matches and returns the same report. Also takes what `loadFile` returns
   * ({ tensors, metadata }), loading its tensors.
   * @example model.loadStateDict(loadFile('model.safetensors'))
   */
  loadStateDict(input: StateDict | StateDictFile, opts: { strict?: boolean } = {}): LoadResult {
    const strict = opts.strict ?? true;
    const where = `${this.constructor.name}.loadStateDict`;
    const state = isStateDictFile(input) ? input.tensors : input;
    if (state === null || typeof state !== 'object' || Array.isArray(state)) {
      throw new Error(`${where}: expected an object of tensors by name (a state dict), got ${describe(state)}`);
    }
    for (const k of Object.keys(state)) {
      if (!(state[k] instanceof Tensor)) {
        const hint = k === 'tensors' || k === 'metadata' ? " (a loadFile result? pass it whole or its '.tensors')" : '';
        throw new Error(`${where}: state['${k}'] is not a Tensor (got ${describe(state[k])})${hint}`);
      }
    }
    const own = new Map<string, { t: Tensor; setBuffer?: (t: Tensor) => void }>();
    for (const [mp, m] of this.namedModules()) {
      const key = (n: string): string => (mp ? `${mp}.${n}` : n);
      for (const [n, p] of m._params) if (p) own.set(key(n), { t: p });
      for (const [n, b] of m._buffers) if (b.t && b.persistent) own.set(key(n), { t: b.t });
    }
    const result: LoadResult = { missingKeys: [], unexpectedKeys: [], mismatched: [] };
    for (const k of own.keys()) if (!Object.hasOwn(state, k)) result.missingKeys.push(k);
    for (const k of Object.keys(state)) {
      const target = own.get(k);
      if (!target) result.unexpectedKeys.push(k);
      else if (!shapesEqual(target.t.shape, state[k]!.shape)) {
        result.mismatched.push(`${k}: model ${fmtShape(target.t.shape)} vs state ${fmtShape(state[k]!.shape)}`);
      }
    }
    const bad = result.missingKeys.length + result.unexpectedKeys.length + result.mismatched.length > 0;
    if (strict && bad) {
      const lines = [`${where}: the state dict does not match the model`];
      if (result.missingKeys.length) lines.push(`  missing keys: ${result.missingKeys.join(', ')}`);
      if (result.unexpectedKeys.length) lines.push(`  unexpected keys: ${result.unexpectedKeys.join(', ')}`);
      if (result.mismatched.length) lines.push(`  size mismatch: ${result.mismatched.join('; ')}`);
      throw new Error(lines.join('\n'));
    }
    noGrad(() => {
      for (const [k, { t }] of own) {
        const src = state[k];
        if (!src || !shapesEqual(src.shape, t.shape)) continue;
        bumpVersion(t);
        const dst = t.data as { [i: number]: number };
        const vals = src.data;
        for (let i = 0; i < vals.length; i++) dst[i] = vals[i]!;
      }
    });
    return result;
  }

  /** Extra text inside the parentheses of this module's repr (override in layers). */
  extraRepr(): string {
    return '';
  }

  /** A PyTorch-style tree: Sequential(\n  (0): Linear(in_features=4, out_features=2, bias=True)\n). */
  toString(): string {
    const children = [...this.namedChildren()];
    const name = this.constructor.name;
    const extra = this.extraRepr();
    if (children.length === 0) return `${name}(${extra})`;
    const lines = children.map(([n, m]) => `  (${n}): ${m.toString().split('\n').join('\n  ')}`);
    if (extra) lines.unshift(`  ${extra}`);
    return `${name}(\n${lines.join('\n')}\n)`;
  }
}

function checkName(name: string, m: Module<any, any>): void {
  if (name === '' || name.includes('.')) {
    throw new Error(`${m.constructor.name}: invalid attribute name '${name}' (empty or containing '.')`);
  }
}
