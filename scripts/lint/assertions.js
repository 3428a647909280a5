/**
 * typescript-eslint's no-unnecessary-type-assertion, keeping only its first finding: `x!` and
 * `x as T` that do not change the type. Dropped:
 * - `a[i]!` passed where the receiver accepts undefined (`m.fill(0, start[0]!)`,
 *   `dst.set(src, offsets[r]!)`): with noUncheckedIndexedAccess such a `!` states that the element
 *   exists, and removing it would let a missing one through as "no argument" (fill from 0, copy to
 *   offset 0) without a word;
 * - `f(...) as T` where `f<T>(...)` would do: a style preference, not a problem.
 */
import tseslint from 'typescript-eslint';

const base = tseslint.plugin.rules['no-unnecessary-type-assertion'];

/** @type {import('eslint').Rule.RuleModule} */
export const noUnnecessaryTypeAssertion = {
  meta: {
    ...base.meta,
    docs: { description: 'Assertions that do not change the type (not those that only widen to an optional parameter)' },
  },
  create(context) {
    const quieter = Object.create(context, {
      report: { value: (d) => d.messageId === 'unnecessaryAssertion' && context.report(d) },
    });
    return base.create(quieter);
  },
};
