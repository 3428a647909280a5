/**
 * Argument checks shared by every public op, layer constructor and optimizer, so that a call from
 * plain JavaScript (no type checker) that passes something we do not understand fails at once
 * with `fn: what was wrong, what was expected` instead of being silently ignored or failing deep
 * inside a kernel. The op path calls these on every call, so they stay cheap: a typeof test per
 * argument and one pass over the (few) keys of an options object; no schema library.
 *
 * The dims convention (docs/api.md, "Dims"): an op that takes dims accepts them positionally in
 * PyTorch's order, `sum(x, 1, true)`, or named in an options object in the same place,
 * `sum(x, { dim: 1, keepdim: true })`; `dimArgs` turns either form into one options object.
 */
import { Tensor } from './tensor.js';

/** How a value reads in an error: `the number 1`, `the string 'a'`, `a float32 tensor of shape [2, 3]`, `{dim: 1}`. */
export function describe(v: unknown, depth = 0): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'number') return depth > 0 ? String(v) : `the number ${v}`;
  if (typeof v === 'string') return depth > 0 ? `'${v}'` : `the string '${v}'`;
  if (typeof v === 'boolean') return depth > 0 ? String(v) : `the boolean ${v}`;
  if (typeof v === 'bigint') return `the bigint ${v}n`;
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  if (v instanceof Tensor) return `a ${v.dtype} tensor of shape [${v.shape.join(', ')}]`;
  if (Array.isArray(v)) {
    const items = v.slice(0, 8).map((e) => describe(e, depth + 1));
    if (v.length > 8) items.push('...');
    return `${depth > 0 ? '' : 'the array '}[${items.join(', ')}]`;
  }
  if (isPlainObject(v)) {
    if (depth > 1) return '{...}';
    const keys = Object.keys(v);
    const items = keys.slice(0, 8).map((k) => `${k}: ${describe(v[k], depth + 1)}`);
    if (keys.length > 8) items.push('...');
    return `{${items.join(', ')}}`;
  }
  const name = v.constructor?.name;
  return name ? `a ${name}` : 'an object';
}

/** A plain options object: `{...}` written in code (not a Tensor, an array, a Map or a class instance). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Value kinds an option may take; each reads as the phrase after "must be" in an error. */
export type Kind =
  | 'boolean'
  | 'number'
  | 'int'
  | 'positiveInt'
  | 'nonNegativeInt'
  | 'ints'
  | 'positiveInts'
  | 'nonNegativeInts'
  | 'dims'
  | 'padding'
  | 'string'
  | 'tensor'
  | 'function'
  | 'any'
  | readonly string[];

/** Option name -> the kind of value it takes. */
export type Spec = Readonly<Record<string, Kind>>;

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
const isPos = (v: unknown): boolean => isInt(v) && (v as number) > 0;
const isNonNeg = (v: unknown): boolean => isInt(v) && (v as number) >= 0;
const intList = (v: unknown, each: (e: unknown) => boolean): boolean => each(v) || (Array.isArray(v) && v.every(each));

/** Whether v is of the kind (undefined is checked by the caller: options may be left out). */
export function isKind(v: unknown, kind: Kind): boolean {
  if (typeof kind !== 'string') return typeof v === 'string' && kind.includes(v);
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'number':
      return typeof v === 'number';
    case 'int':
      return isInt(v);
    case 'positiveInt':
      return isPos(v);
    case 'nonNegativeInt':
      return isNonNeg(v);
    case 'ints':
    case 'dims':
      return intList(v, isInt);
    case 'padding':
      return v === 'same' || v === 'valid' || intList(v, isInt);
    case 'positiveInts':
      return intList(v, isPos);
    case 'nonNegativeInts':
      return intList(v, isNonNeg);
    case 'string':
      return typeof v === 'string';
    case 'tensor':
      return v instanceof Tensor;
    case 'function':
      return typeof v === 'function';
    case 'any':
      return true;
  }
}

/** The phrase for a kind: "a positive integer or a list of them". */
export function expected(kind: Kind): string {
  if (typeof kind !== 'string') return `one of ${kind.map((k) => `'${k}'`).join(', ')}`;
  switch (kind) {
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'int':
      return 'an integer';
    case 'positiveInt':
      return 'a positive integer';
    case 'nonNegativeInt':
      return 'a non-negative integer';
    case 'ints':
      return 'an integer or a list of integers';
    case 'dims':
      return 'a dim (an integer) or a list of dims';
    case 'padding':
      return "an integer, a list of integers, 'same' or 'valid'";
    case 'positiveInts':
      return 'a positive integer or a list of them';
    case 'nonNegativeInts':
      return 'a non-negative integer or a list of them';
    case 'string':
      return 'a string';
    case 'tensor':
      return 'a Tensor';
    case 'function':
      return 'a function';
    case 'any':
      return 'any value';
  }
}

/** `{stride, padding}`: the keys of a spec, as an error lists them. */
export function specKeys(spec: Spec): string {
  return `{${Object.keys(spec).join(', ')}}`;
}

/**
 * Checks an options object against its spec and returns it (`{}` when undefined). `arg` says where
 * it was passed: a 1-based position (`argument 4`) or a name (`opts`). An option set to null or
 * undefined is left at its default, as a left-out key.
 * Errors: `sum: unknown option 'dims' (expected dim, keepdim)`,
 * `conv2d: argument 4 must be an options object {stride, padding, dilation, groups}, got the number 1`,
 * `conv2d: option 'stride' must be a positive integer or a list of them, got the string '2'`.
 */
export function checkOptions<T extends object>(fn: string, arg: number | string, value: T | undefined, spec: Spec): T {
  if (value === undefined) return {} as T;
  if (!isPlainObject(value)) {
    const where = typeof arg === 'number' ? `argument ${arg}` : arg;
    throw new TypeError(`${fn}: ${where} must be an options object ${specKeys(spec)}, got ${describe(value)}`);
  }
  for (const key in value) {
    // Own keys only: a user's 'toString' or 'constructor' must not match Object.prototype's.
    const kind = Object.prototype.hasOwnProperty.call(spec, key) ? spec[key] : undefined;
    if (kind === undefined) {
      throw new TypeError(`${fn}: unknown option '${key}' (expected ${Object.keys(spec).join(', ') || 'no options'})`);
    }
    const v = value[key];
    if (v != null && !isKind(v, kind)) {
      throw new TypeError(`${fn}: option '${key}' must be ${expected(kind)}, got ${describe(v)}`);
    }
  }
  return value as T;
}

/** Checks one positional argument against a kind. `name` reads as `argument 2 (dim)` or `inFeatures`. */
export function checkArg(fn: string, name: string, v: unknown, kind: Kind, optional = false): void {
  if (optional && v === undefined) return;
  if (!isKind(v, kind)) throw new TypeError(`${fn}: ${name} must be ${expected(kind)}, got ${describe(v)}`);
}

/** Checks that `x` is a Tensor: `sum: argument 1 (input) must be a Tensor, got the array [1, 2]`. */
export function checkTensor(fn: string, x: unknown, name = 'argument 1 (input)'): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${fn}: ${name} must be a Tensor, got ${describe(x)}`);
}

/** Checks that no arguments were passed beyond the `n` a function takes. */
export function checkArity(fn: string, args: ArrayLike<unknown>, n: number, usage: string): void {
  for (let i = n; i < args.length; i++) {
    if (args[i] !== undefined) {
      throw new TypeError(`${fn}: unexpected argument ${i + 1} (${describe(args[i])}); call ${usage}`);
    }
  }
}

/**
 * Checks that a function declared with `...extra: never[]` after its `n` parameters got nothing
 * there: the lint-friendly form of checkArity for functions that are not on the op path.
 */
export function checkRest(fn: string, extra: readonly unknown[], n: number, usage: string): void {
  extra.forEach((v, i) => {
    if (v !== undefined) throw new TypeError(`${fn}: unexpected argument ${n + i + 1} (${describe(v)}); call ${usage}`);
  });
}

/** The options of an op that reduces over dims: `dim` (one or several) and `keepdim`. */
export const dimKeepdim: Spec = { dim: 'dims', keepdim: 'boolean' };

/** How an error suggests calling a dims-taking op: `sum(x, dim, keepdim) or sum(x, {dim, keepdim})`. */
function dimUsage(fn: string, spec: Spec): string {
  return `${fn}(x, dim${'keepdim' in spec ? ', keepdim' : ''}) or ${fn}(x, ${specKeys(spec)})`;
}

/**
 * Reads the dims arguments of a call in either form of the convention: positional,
 * `op(x, dim?, keepdim?)`, or named, `op(x, {dim, keepdim, ...})`; an op with more options (std,
 * var) also takes `op(x, dim, {keepdim, correction})`. `a` and `b` are the arguments after the
 * tensor; the result is one options object checked against `spec` (whose `dim` kind says whether
 * a list of dims is allowed). With `required`, a call without a dim is an error.
 */
export function dimArgs<T extends { dim?: unknown }>(fn: string, a: unknown, b: unknown, spec: Spec, required = false): T {
  let opts: T;
  if (a === undefined || a === null) {
    if (b === undefined) opts = {} as T;
    else if (typeof b === 'boolean' && 'keepdim' in spec) opts = { keepdim: b } as unknown as T;
    else throw new TypeError(`${fn}: argument 3 must be keepdim (a boolean), got ${describe(b)}; call ${dimUsage(fn, spec)}`);
  } else if (typeof a === 'number' || Array.isArray(a)) {
    const dimKind = spec.dim ?? 'dims';
    if (!isKind(a, dimKind)) {
      throw new TypeError(`${fn}: argument 2 (dim) must be ${expected(dimKind)}, got ${describe(a)}`);
    }
    if (b === undefined) opts = { dim: a } as T;
    else if (typeof b === 'boolean' && 'keepdim' in spec) opts = { dim: a, keepdim: b } as unknown as T;
    else if (isPlainObject(b) && Object.keys(spec).length > 2) {
      if ('dim' in b) throw new TypeError(`${fn}: dim given twice (argument 2 and option 'dim'); call ${dimUsage(fn, spec)}`);
      opts = { ...checkOptions(fn, 3, b, spec), dim: a } as T;
    } else {
      const what = 'keepdim' in spec ? 'keepdim (a boolean)' : 'absent';
      throw new TypeError(`${fn}: argument 3 must be ${what}, got ${describe(b)}; call ${dimUsage(fn, spec)}`);
    }
  } else if (isPlainObject(a)) {
    if (b !== undefined) {
      throw new TypeError(`${fn}: unexpected argument 3 (${describe(b)}) after an options object; call ${dimUsage(fn, spec)}`);
    }
    opts = checkOptions(fn, 2, a as T, spec);
  } else {
    const dims = spec.dim === 'int' ? 'a dim (an integer)' : 'a dim (an integer) or a list of dims';
    throw new TypeError(`${fn}: argument 2 must be ${dims} or an options object ${specKeys(spec)}, got ${describe(a)}`);
  }
  if (required && opts.dim === undefined) throw new TypeError(`${fn}: dim is required; call ${dimUsage(fn, spec)}`);
  return opts;
}

/** The arguments of an op on one tensor that takes dims: checks the tensor, then reads the dims (see dimArgs). */
export function tensorDimArgs<T extends { dim?: unknown }>(
  fn: string,
  x: unknown,
  a: unknown,
  b: unknown,
  spec: Spec = dimKeepdim,
  required = false,
): T {
  checkTensor(fn, x);
  return dimArgs<T>(fn, a, b, spec, required);
}

/** The options of an op along exactly one dim (softmax, cumsum, unsqueeze). */
export const oneDim: Spec = { dim: 'int' };

/** The options of an op along one dim that may keep it (argmax, maxWithIndices). */
export const oneDimKeepdim: Spec = { dim: 'int', keepdim: 'boolean' };

/** Checks a list of tensors (cat, stack): `cat: argument 1 must be a list of Tensors, got ...; entry 1 is the number 3`. */
export function checkTensorList(fn: string, v: unknown): asserts v is readonly Tensor[] {
  if (!Array.isArray(v)) throw new TypeError(`${fn}: argument 1 must be a list of Tensors, got ${describe(v)}`);
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] instanceof Tensor)) throw new TypeError(`${fn}: argument 1 must be a list of Tensors; entry ${i} is ${describe(v[i])}`);
  }
}

/** The options of an op that takes one dim or a list without keepdim (squeeze). */
export const dimsOnly: Spec = { dim: 'dims' };

/** One positional parameter of a constructor: its name, its kind and whether it may be left out. */
export type Param = readonly [name: string, kind: Kind, optional?: boolean];

/**
 * The argument check of a layer or optimizer constructor: the positional parameters in order,
 * then (with `spec`) one options object, and nothing after it. `args` is the constructor's
 * `arguments`. When an options object was passed where the first size goes, the error spells the
 * call out: `nn.Linear: inFeatures must be a positive integer, got {inFeatures: 3, outFeatures: 2}
 * (call new nn.Linear(3, 2))`.
 */
export function checkCtor(cls: string, params: readonly Param[], args: ArrayLike<unknown>, spec?: Spec): void {
  for (let i = 0; i < params.length; i++) {
    const [name, kind, optional] = params[i]!;
    const v = args[i];
    if ((optional && v === undefined) || isKind(v, kind)) continue;
    const first = args[0];
    const hint = i === 0 && isPlainObject(first) ? ` (call ${spelledOut(cls, params, first, spec)})` : '';
    throw new TypeError(`${cls}: ${name} must be ${expected(kind)}, got ${describe(v)}${hint}`);
  }
  const n = params.length;
  if (spec) checkOptions(cls, n + 1, args[n] as object | undefined, spec);
  const taken = spec ? n + 1 : n;
  for (let i = taken; i < args.length; i++) {
    if (args[i] !== undefined) {
      const sig = [...params.map(([name, , optional]) => (optional ? `${name}?` : name)), ...(spec ? [specKeys(spec)] : [])].join(', ');
      throw new TypeError(`${cls}: unexpected argument ${i + 1} (${describe(args[i])}); the constructor takes (${sig})`);
    }
  }
}

/** `new nn.Linear(3, 2, {bias: false})` from `{inFeatures: 3, outFeatures: 2, bias: false}`. */
function spelledOut(cls: string, params: readonly Param[], obj: Record<string, unknown>, spec?: Spec): string {
  const positional = params.filter(([name]) => name in obj).map(([name]) => describe(obj[name], 1));
  const rest = Object.keys(obj).filter((k) => !params.some(([name]) => name === k));
  const opts = rest.length && spec ? describe(Object.fromEntries(rest.map((k) => [k, obj[k]])), 0) : '';
  return `new ${cls}(${[...positional, ...(opts ? [opts] : [])].join(', ')})`;
}
