/**
 * Typed option declarations: a recipe (or any public function with many knobs) declares each
 * option once, with its type, default, range and one-line help. The same declaration validates
 * programmatic options (unknown keys and wrong types are refused, naming the caller, the option
 * and what was expected), parses command-line strings, and generates `--help`.
 * @example
 * const spec = { epochs: intOption(12, 'passes over the training set', { min: 1 }) };
 * const o = resolveOptions('recipe mlp', spec, { epochs: 3 }); // { epochs: 3 }
 */
import { describe } from '../tensor/validate.js';

export interface IntOption {
  kind: 'int';
  default: number;
  help: string;
  min: number;
  max: number;
}
export interface NumberOption {
  kind: 'number';
  default: number;
  help: string;
  min: number;
  max: number;
  /** min itself is refused (e.g. a learning rate must be > 0). */
  exclusiveMin: boolean;
}
export interface StringOption {
  kind: 'string';
  default: string;
  help: string;
}
export interface ChoiceOption<C extends string = string> {
  kind: 'choice';
  default: C;
  help: string;
  choices: readonly C[];
}
export interface BooleanOption {
  kind: 'boolean';
  default: boolean;
  help: string;
}

export type OptionSpec = IntOption | NumberOption | StringOption | ChoiceOption | BooleanOption;
export type OptionsSpec = Record<string, OptionSpec>;

/** The value type each declaration stands for. */
export type OptionValue<S extends OptionSpec> =
  S extends ChoiceOption<infer C> ? C : S extends IntOption | NumberOption ? number : S extends BooleanOption ? boolean : string;
export type OptionValues<S extends OptionsSpec> = { [K in keyof S]: OptionValue<S[K]> };

/** The largest integer an int option accepts unless it says otherwise (keeps 1e20 epochs out). */
export const MAX_INT_OPTION = 1_000_000_000;

/** An integer option; range [min, max] (default [0, 1e9]). */
export function intOption(dflt: number, help: string, range: { min?: number; max?: number } = {}): IntOption {
  return { kind: 'int', default: dflt, help, min: range.min ?? 0, max: range.max ?? MAX_INT_OPTION };
}

/** A finite number option; range [min, max], or (min, max] with exclusiveMin. */
export function numberOption(dflt: number, help: string, range: { min?: number; max?: number; exclusiveMin?: boolean } = {}): NumberOption {
  return {
    kind: 'number',
    default: dflt,
    help,
    min: range.min ?? -Infinity,
    max: range.max ?? Infinity,
    exclusiveMin: range.exclusiveMin ?? false,
  };
}

export function stringOption(dflt: string, help: string): StringOption {
  return { kind: 'string', default: dflt, help };
}

export function choiceOption<C extends string>(choices: readonly C[], dflt: C, help: string): ChoiceOption<C> {
  return { kind: 'choice', default: dflt, help, choices };
}

export function booleanOption(dflt: boolean, help: string): BooleanOption {
  return { kind: 'boolean', default: dflt, help };
}

/** What a declaration accepts, in words (used in errors and in --help). */
export function describeExpected(s: OptionSpec): string {
  switch (s.kind) {
    case 'int':
      return `an integer in [${s.min}, ${s.max}]`;
    case 'number': {
      const lo = s.min === -Infinity ? '' : `${s.exclusiveMin ? '>' : '>='} ${s.min}`;
      const hi = s.max === Infinity ? '' : `<= ${s.max}`;
      return `a finite number${lo || hi ? ` ${[lo, hi].filter(Boolean).join(' and ')}` : ''}`;
    }
    case 'choice':
      return `one of ${s.choices.join(', ')}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
  }
}

/** Checks one value against its declaration; returns it, or throws naming `who` and the option. */
export function checkOption(who: string, name: string, s: OptionSpec, v: unknown, written?: string): unknown {
  const bad = (): never => {
    const got = written !== undefined ? `'${written}'` : typeof v === 'string' ? `'${v}'` : describe(v);
    throw new Error(`${who}: option '${name}' must be ${describeExpected(s)}, got ${got}`);
  };
  switch (s.kind) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < s.min || v > s.max) bad();
      return v;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v) || (s.exclusiveMin ? v <= s.min : v < s.min) || v > s.max) bad();
      return v;
    case 'choice':
      if (typeof v !== 'string' || !s.choices.includes(v)) bad();
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') bad();
      return v;
    case 'string':
      if (typeof v !== 'string') bad();
      return v;
  }
}

/** Parses a command-line string for a declaration (numbers as written: '1e-3', '20'). */
export function parseOption(who: string, name: string, s: OptionSpec, text: string): unknown {
  if (s.kind === 'int' || s.kind === 'number') return checkOption(who, name, s, text.trim() === '' ? NaN : Number(text), text);
  if (s.kind === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    return checkOption(who, name, s, text);
  }
  return checkOption(who, name, s, text);
}

/**
 * Defaults overlaid with `given`: unknown keys and wrong values are refused with an error that
 * names `who`, the option and what it expected.
 */
export function resolveOptions<S extends OptionsSpec>(who: string, spec: S, given: Record<string, unknown> = {}): OptionValues<S> {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new Error(`${who}: options must be a plain object, got ${Array.isArray(given) ? 'an array' : describe(given)}`);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(spec, key)) {
      throw new Error(`${who}: unknown option '${key}' (known: ${Object.keys(spec).join(', ')})`);
    }
  }
  for (const [key, s] of Object.entries(spec)) {
    const v = given[key];
    out[key] = v === undefined ? s.default : checkOption(who, key, s, v);
  }
  return out as OptionValues<S>;
}

/** Refuses keys of a plain options object that `known` does not list (for constructors and functions). */
export function rejectUnknownKeys(who: string, given: object, known: readonly string[]): void {
  if (given === null || typeof given !== 'object' || Array.isArray(given))
    throw new Error(`${who}: options must be a plain object, got ${describe(given)}`);
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) throw new Error(`${who}: unknown option '${key}' (known: ${known.join(', ')})`);
  }
}

/** camelCase -> kebab-case, as the command line spells option names. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
