import { test } from 'node:test';
import {
  conv1d,
  conv2d,
  convTranspose2d,
  maxPool1d,
  maxPool2d,
  maxUnpool2d,
  avgPool1d,
  avgPool2d,
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  cast,
  type Tensor,
} from '../../src/index.js';
import { checkCase, loadCases } from './_harness.js';

type Impl = (x: Tensor[], kw: Record<string, unknown>) => Tensor;
// The parsed torch kwargs are checked by the ops at run time, like any user input.
type Opts = any;

/** torch keyword arguments (snake_case) as shinsou options (camelCase), minus the ones handled by the case. */
function opts(kw: Record<string, unknown>, drop: string[] = []): Opts {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kw)) {
    if (drop.includes(k)) continue;
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out;
}

const conv2dImpl: Impl = ([x, w, b], kw) => conv2d(x!, w!, b ?? null, opts(kw));
const conv1dImpl: Impl = ([x, w, b], kw) => conv1d(x!, w!, b ?? null, opts(kw));
const convT: Impl = ([x, w, b], kw) => convTranspose2d(x!, w!, b ?? null, opts(kw));
const maxValues: Impl = ([x], kw) => maxPool2d(x!, { ...opts(kw, ['return_indices']), returnIndices: true }).values;
const maxIndices: Impl = ([x], kw) => maxPool2d(x!, { ...opts(kw, ['return_indices']), returnIndices: true }).indices;
const avg: Impl = ([x], kw) => avgPool2d(x!, opts(kw));
const outSize = (kw: Record<string, unknown>): number | number[] => kw.output_size as number | number[];

const impl: Record<string, Impl> = {
  'conv2d odd sizes bias': conv2dImpl,
  'conv2d stride 2 padding 1': conv2dImpl,
  'conv2d dilation 2': conv2dImpl,
  'conv2d groups 3 mixed stride padding': conv2dImpl,
  'conv2d depthwise': conv2dImpl,
  'conv2d depthwise multiplier 2': conv2dImpl,
  'conv2d 1x1': conv2dImpl,
  'conv2d stride greater than kernel': conv2dImpl,
  'conv2d non-contiguous input': conv2dImpl,
  'conv2d padding same even kernel': conv2dImpl,
  'conv2d padding valid': conv2dImpl,
  'conv2d unbatched': conv2dImpl,
  'conv1d dilated': conv1dImpl,
  'conv1d stride 2 groups 2': conv1dImpl,
  'conv1d padding same': conv1dImpl,
  'convTranspose2d stride 2': convT,
  'convTranspose2d stride 2 padding 1 outputPadding 1 dilation 2 groups 2': convT,
  'convTranspose2d outputPadding below dilation': convT,
  'maxPool2d 2x2 values': maxValues,
  'maxPool2d 2x2 indices': maxIndices,
  'maxPool2d ceilMode padding dilation values': maxValues,
  'maxPool2d ceilMode padding dilation indices': maxIndices,
  'maxPool2d overlapping stride 1 ceilMode': ([x], kw) => maxPool2d(x!, { ...opts(kw), returnIndices: true }).values,
  'maxUnpool2d after maxPool2d': ([x], kw) => {
    const { values, indices } = maxPool2d(x!, { ...opts(kw, ['output_size']), returnIndices: true });
    return maxUnpool2d(values, indices, opts(kw));
  },
  'maxUnpool2d default size': ([x, i], kw) => maxUnpool2d(x!, cast(i!, 'int32'), opts(kw)),
  'avgPool2d countIncludePad ceilMode': avg,
  'avgPool2d no countIncludePad ceilMode': avg,
  'avgPool2d rectangular no padding': avg,
  'avgPool2d divisorOverride': avg,
  'adaptiveAvgPool2d 7x5 to 3x2': ([x], kw) => adaptiveAvgPool2d(x!, outSize(kw)),
  'adaptiveAvgPool2d 3x4 to 5x3': ([x], kw) => adaptiveAvgPool2d(x!, outSize(kw)),
  'adaptiveAvgPool2d to 1 unbatched': ([x], kw) => adaptiveAvgPool2d(x!, outSize(kw)),
  'adaptiveMaxPool2d 7x5 to 3x2 values': ([x], kw) => adaptiveMaxPool2d(x!, outSize(kw), { returnIndices: true }).values,
  'adaptiveMaxPool2d 7x5 to 3x2 indices': ([x], kw) => adaptiveMaxPool2d(x!, outSize(kw), { returnIndices: true }).indices,
  maxPool1d: ([x], kw) => maxPool1d(x!, { ...opts(kw), returnIndices: true }).values,
  avgPool1d: ([x], kw) => avgPool1d(x!, opts(kw)),
};

for (const c of loadCases('conv')) {
  test(`parity conv: ${c.name}`, () => {
    const f = impl[c.name];
    if (!f) throw new Error(`no shinsou implementation mapped for fixture case '${c.name}'`);
    checkCase(c, f, { rtol: 1e-4, atol: 1e-4 });
  });
}
