import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { checkRest, describe, isPlainObject } from '../tensor/validate.js';

type AnyModule = Module<any, any>;

/** Runs its modules in order, each output feeding the next (torch.nn.Sequential). Keys "0", "1", ... */
export class Sequential extends Module<[Tensor], Tensor> {
  private readonly layers: AnyModule[] = [];

  constructor(...layers: AnyModule[]) {
    super();
    layers.forEach((m, i) => checkModule('nn.Sequential', `argument ${i + 1}`, m));
    layers.forEach((m) => this.append(m));
  }

  append(m: AnyModule): this {
    this.module(String(this.layers.length), m);
    this.layers.push(m);
    return this;
  }

  at(i: number): AnyModule {
    const m = this.layers[i < 0 ? this.layers.length + i : i];
    if (!m) throw new Error(`Sequential.at: index ${i} out of range for ${this.layers.length} layers`);
    return m;
  }

  get length(): number {
    return this.layers.length;
  }

  [Symbol.iterator](): Iterator<AnyModule> {
    return this.layers[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const m of this.layers) h = m.forward(h) as Tensor;
    return h;
  }
}

/** A list of registered modules (torch.nn.ModuleList); it has no forward of its own. */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<[], never> {
  private readonly items: M[] = [];

  constructor(modules: readonly M[] = [], ...extra: never[]) {
    super();
    if (!Array.isArray(modules)) throw new TypeError(`nn.ModuleList: argument 1 must be a list of Modules, got ${describe(modules)}`);
    modules.forEach((m, i) => checkModule('nn.ModuleList', `entry ${i}`, m));
    checkRest('nn.ModuleList', extra, 1, 'new nn.ModuleList([module, ...])');
    modules.forEach((m) => this.append(m));
  }

  append(m: M): this {
    this.module(String(this.items.length), m);
    this.items.push(m);
    return this;
  }

  at(i: number): M {
    const m = this.items[i < 0 ? this.items.length + i : i];
    if (!m) throw new Error(`ModuleList.at: index ${i} out of range for ${this.items.length} modules`);
    return m;
  }

  get length(): number {
    return this.items.length;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  forward(): never {
    throw new Error('ModuleList has no forward(); iterate over its modules');
  }
}

/** Registered modules by name (torch.nn.ModuleDict), in insertion order. */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<[], never> {
  private readonly items = new Map<string, M>();

  constructor(modules: Record<string, M> = {}, ...extra: never[]) {
    super();
    if (!isPlainObject(modules))
      throw new TypeError(`nn.ModuleDict: argument 1 must be an object of named Modules {name: module}, got ${describe(modules)}`);
    for (const [k, m] of Object.entries(modules)) checkModule('nn.ModuleDict', `entry '${k}'`, m);
    checkRest('nn.ModuleDict', extra, 1, 'new nn.ModuleDict({name: module, ...})');
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  set(key: string, m: M): this {
    this.module(key, m);
    this.items.set(key, m);
    return this;
  }

  getModule(key: string): M {
    const m = this.items.get(key);
    if (!m) throw new Error(`ModuleDict: no module '${key}' (have ${[...this.items.keys()].join(', ')})`);
    return m;
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  entries(): [string, M][] {
    return [...this.items.entries()];
  }

  forward(): never {
    throw new Error('ModuleDict has no forward(); look modules up by key');
  }
}

function checkModule(cls: string, name: string, m: unknown): void {
  if (!(m instanceof Module)) throw new TypeError(`${cls}: ${name} must be a Module, got ${describe(m)}`);
}
