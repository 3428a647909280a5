/**
 * Loads PyTorch parity fixtures (fixtures/parity/<family>.json, written by scripts/make_fixtures.py)
 * and checks a shinsou implementation against each case: forward output and every input gradient,
 * with float32 tolerances.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import { Tensor, tensor, transpose, type DType } from '../../src/index.js';

export interface TensorSpec {
  shape: number[];
  dtype: DType;
  data: number[];
}
export interface InputSpec extends TensorSpec {
  grad: boolean;
  layout: 'contiguous' | 'transposed';
}
export interface ParityCase {
  name: string;
  kwargs: Record<string, unknown>;
  inputs: InputSpec[];
  output: TensorSpec;
  upstream?: TensorSpec;
  grads?: (TensorSpec | null)[];
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function loadCases(family: string): ParityCase[] {
  const path = join(root, 'fixtures', 'parity', `${family}.json`);
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { cases: ParityCase[] };
  return doc.cases;
}

export function fromSpec(s: TensorSpec): Tensor {
  return tensor(Float64Array.from(s.data), { shape: s.shape, dtype: s.dtype });
}

export function assertClose(actual: Tensor, expected: TensorSpec, what: string, rtol = 1e-4, atol = 1e-5): void {
  assert.deepEqual(
    [...actual.shape],
    expected.shape,
    `${what}: shape ${JSON.stringify(actual.shape)} vs torch ${JSON.stringify(expected.shape)}`,
  );
  const a = actual.data;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i]!;
    const v = a[i]!;
    if (Number.isNaN(e) && Number.isNaN(v)) continue;
    if (!(Math.abs(v - e) <= atol + rtol * Math.abs(e))) {
      assert.fail(`${what}: element ${i} is ${v}, torch has ${e} (shape ${JSON.stringify(expected.shape)})`);
    }
  }
}

/**
 * Runs `fn` on the case's inputs and compares forward and gradients with torch's.
 * For 'transposed' inputs the gradient is read from the underlying leaf and transposed back.
 */
export function checkCase(
  c: ParityCase,
  fn: (inputs: Tensor[], kwargs: Record<string, unknown>) => Tensor,
  tol: { rtol?: number; atol?: number } = {},
): void {
  const leaves: (Tensor | null)[] = [];
  const views = c.inputs.map((s) => {
    if (s.layout === 'transposed' && s.shape.length >= 2) {
      const base = transpose(fromSpec(s), -2, -1).contiguous();
      if (s.grad && (s.dtype === 'float32' || s.dtype === 'float64')) base.requiresGrad_(true);
      leaves.push(base);
      return transpose(base, -2, -1);
    }
    const t = fromSpec(s);
    if (s.grad && (s.dtype === 'float32' || s.dtype === 'float64')) t.requiresGrad_(true);
    leaves.push(t);
    return t;
  });
  const out = fn(views, c.kwargs);
  assertClose(out, c.output, `${c.name} forward`, tol.rtol, tol.atol);
  if (!c.upstream || !c.grads) return;
  out.backward(fromSpec(c.upstream));
  c.grads.forEach((g, i) => {
    if (!g) return;
    const leaf = leaves[i]!;
    assert.ok(leaf.grad, `${c.name}: input ${i} got no gradient (torch has one)`);
    const got = c.inputs[i]!.layout === 'transposed' && c.inputs[i]!.shape.length >= 2 ? transpose(leaf.grad, -2, -1) : leaf.grad;
    assertClose(got, g, `${c.name} grad of input ${i}`, tol.rtol, tol.atol);
  });
}
