import {
  Generator,
  randn,
  tensor,
  gather,
  scatterAdd,
  scatter,
  indexSelect,
  indexAdd,
  maskedFill,
  embedding,
  take,
  getItem,
  transpose,
  mul,
  type Tensor,
} from '../../src/index.js';
import type { GradCase } from './_types.js';

const g = new Generator(13);
const r = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
const sq = (t: Tensor): Tensor => mul(t, t);
const i32 = (data: number[] | number[][] | number[][][]): Tensor => tensor(data, { dtype: 'int32' });

export const cases: GradCase[] = [
  {
    name: 'gather dim 0 repeated indices',
    ops: ['gather'],
    inputs: () => [r(3, 4)],
    fn: (a) =>
      sq(
        gather(
          a,
          0,
          i32([
            [2, 0, 0, 1],
            [2, 2, 1, 0],
          ]),
        ),
      ),
    gradgrad: true,
  },
  {
    name: 'gather dim 1 smaller index of transposed',
    ops: ['gather'],
    inputs: () => [r(5, 3)],
    fn: (a) =>
      gather(
        transpose(a),
        1,
        i32([
          [4, 4],
          [0, 3],
        ]),
      ),
  },
  {
    name: 'scatterAdd dim 0 into x and src',
    ops: ['scatterAdd'],
    inputs: () => [r(3, 4), r(2, 4)],
    fn: (x, s) =>
      sq(
        scatterAdd(
          x,
          0,
          i32([
            [0, 2, 0, 1],
            [0, 0, 2, 2],
          ]),
          s,
        ),
      ),
    gradgrad: true,
  },
  {
    name: 'scatterAdd dim 1 src larger than index',
    ops: ['scatterAdd'],
    inputs: () => [r(2, 5), r(3, 4)],
    fn: (x, s) =>
      sq(
        scatterAdd(
          x,
          1,
          i32([
            [4, 4, 0],
            [1, 3, 1],
          ]),
          s,
        ),
      ),
    gradgrad: true,
  },
  {
    name: 'scatter unique indices tensor and value',
    ops: ['scatter'],
    inputs: () => [r(3, 4), r(2, 4)],
    fn: (x, s) =>
      sq(
        scatter(
          scatter(
            x,
            0,
            i32([
              [0, 2, 1, 1],
              [2, 0, 0, 2],
            ]),
            s,
          ),
          1,
          i32([[3], [0], [1]]),
          2.5,
        ),
      ),
    gradgrad: true,
  },
  {
    name: 'indexSelect dim 1 repeats',
    ops: ['indexSelect'],
    inputs: () => [r(2, 5, 3)],
    fn: (a) => sq(indexSelect(a, 1, i32([4, 0, 4, 2]))),
    gradgrad: true,
  },
  {
    name: 'indexSelect of transposed',
    ops: ['indexSelect'],
    inputs: () => [r(3, 4)],
    fn: (a) => indexSelect(transpose(a), 0, i32([3, 3, 1])),
  },
  {
    name: 'indexAdd with alpha',
    ops: ['indexAdd'],
    inputs: () => [r(4, 3), r(5, 3)],
    fn: (x, s) => sq(indexAdd(x, 0, i32([3, 0, 3, 1, 3]), s, { alpha: -1.5 })),
    gradgrad: true,
  },
  {
    name: 'maskedFill broadcast mask, tensor value',
    ops: ['maskedFill'],
    inputs: () => [r(3, 4), r()],
    fn: (x, v) => sq(maskedFill(x, tensor([[true, false, false, true]]), v)),
    gradgrad: true,
  },
  { name: 'maskedFill number', ops: ['maskedFill'], inputs: () => [r(2, 3)], fn: (x) => maskedFill(x, tensor([[false], [true]]), -2) },
  {
    name: 'embedding repeated indices with paddingIdx',
    ops: ['embedding'],
    inputs: () => [r(5, 3)],
    // The padding row gets no gradient by design; zeroing its outputs makes the finite differences agree.
    fn: (w) => {
      const idx = i32([
        [1, 3, 1],
        [4, 3, 0],
      ]);
      return sq(maskedFill(embedding(w, idx, { paddingIdx: -2 }), idx.eq(3).unsqueeze(-1), 0));
    },
    gradgrad: true,
  },
  {
    name: 'take negative indices',
    ops: ['take'],
    inputs: () => [r(3, 4)],
    fn: (a) =>
      sq(
        take(
          transpose(a),
          i32([
            [-1, 0],
            [5, 5],
          ]),
        ),
      ),
    gradgrad: true,
  },
  {
    name: 'getItem basic and int32 tensor index',
    ops: ['getItem'],
    inputs: () => [r(3, 4, 5)],
    fn: (a) => sq(getItem(a, -1, null, '...', { start: 1, end: -1 }).add(getItem(a, 0, i32([[1, -4]]), ':').sum())),
    gradgrad: true,
  },
  {
    name: 'getItem bool mask of transposed',
    ops: ['getItem'],
    inputs: () => [r(3, 2)],
    fn: (a) =>
      getItem(
        transpose(a),
        tensor([
          [true, false, true],
          [false, true, true],
        ]),
      ),
  },
];
