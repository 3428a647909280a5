// Property tests of the command line's option parsing (issue 11): every option every registered
// recipe declares (src/train/options.ts) is fed random text, as `shinsou train <recipe> --flag
// <text>` would pass it, and random values, as recipeOptions() receives them from code. The
// parser either yields a value of the declared type within the declared range, or throws a plain
// Error that names the option and the expected form; never a bare TypeError or RangeError, never
// a silently out-of-range value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../../src/models/index.js';
import { listRecipes, recipeOptions } from '../../src/train/registry.js';
import { describeExpected, kebabCase, parseOption, type OptionSpec } from '../../src/train/options.js';
import { params } from './_budget.js';

/** Every declared option of every registered recipe: [recipe name, option name, declaration]. */
const declared: [string, string, OptionSpec][] = listRecipes().flatMap((r) =>
  (Object.entries(r.options) as [string, OptionSpec][]).map(([name, s]): [string, string, OptionSpec] => [r.name, name, s]),
);

/** Whether v is of the declared type and within the declared range. */
function fits(s: OptionSpec, v: unknown): boolean {
  switch (s.kind) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= s.min && v <= s.max;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) && (s.exclusiveMin ? v > s.min : v >= s.min) && v <= s.max;
    case 'choice':
      return typeof v === 'string' && s.choices.includes(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
  }
}

/** Runs f: it returns a value that fits s, or throws a plain Error naming `option` and the expected form. */
function acceptsOrExplains(s: OptionSpec, option: string, f: () => unknown): void {
  let v: unknown;
  try {
    v = f();
  } catch (e) {
    assert.ok(e instanceof Error && e.constructor === Error, `not a plain Error: ${String(e)}`);
    assert.ok(e.message.includes(option), `the error does not name ${option}: ${e.message}`);
    assert.ok(e.message.includes(describeExpected(s)), `the error does not say what ${option} expects: ${e.message}`);
    return;
  }
  assert.ok(fits(s, v), `${option} accepted ${typeof v} ${String(v)}, outside ${describeExpected(s)}`);
}

/** Text a user might type after a flag: numbers in many spellings, near the bounds, and junk. */
function textFor(s: OptionSpec): fc.Arbitrary<string> {
  const bounds = s.kind === 'int' || s.kind === 'number' ? [s.min, s.max].filter(Number.isFinite) : [];
  const near = bounds.flatMap((b) => [b - 1, b, b + 1, b - 1e-9, b + 0.5]);
  const choices = s.kind === 'choice' ? s.choices : [];
  return fc.oneof(
    fc.string(),
    fc.integer().map(String),
    fc.double().map(String),
    fc.double({ noNaN: true }).map((v) => v.toExponential()),
    fc.constantFrom(...near.map(String), '', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '0x10', '1_000', '--5', 'true', 'false', '3.'),
    fc.constantFrom('', ...choices).chain((c) => fc.string({ maxLength: 3 }).map((t) => c + t)),
  );
}

test('every recipe option parses command-line text into a fitting value or an error naming --flag', () => {
  assert.ok(declared.length > 0, 'no recipes registered');
  for (const [recipe, name, s] of declared) {
    const flag = `--${kebabCase(name)}`;
    fc.assert(
      fc.property(textFor(s), (text) => acceptsOrExplains(s, flag, () => parseOption(`shinsou train ${recipe}`, flag, s, text))),
      params(1 / Math.max(1, Math.sqrt(declared.length))),
    );
  }
});

test('every recipe option given in code is accepted only when it fits, else refused naming the option', () => {
  const values = fc.oneof(
    fc.anything(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.string(),
    fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.5, -1, 1e9, 1e10),
  );
  for (const [recipe, name, s] of declared) {
    const r = listRecipes().find((x) => x.name === recipe)!;
    fc.assert(
      fc.property(values, (v) => {
        if (v === undefined) return; // left out: the default
        acceptsOrExplains(s, `'${name}'`, () => recipeOptions(r, { [name]: v })[name]);
      }),
      params(1 / Math.max(1, Math.sqrt(declared.length))),
    );
  }
});

test('the defaults every recipe declares fit their own declarations', () => {
  for (const [recipe, name, s] of declared) assert.ok(fits(s, s.default), `${recipe} --${kebabCase(name)}: default ${String(s.default)}`);
});
