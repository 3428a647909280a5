import { Generator, randn, lstmCell, gruCell, add, type Tensor } from '../../src/index.js';
import type { GradCase } from './_types.js';

const g = new Generator(11);
const r = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });

export const cases: GradCase[] = [
  {
    name: 'lstmCell (B 2, H 3): h and c in gates and cell state, transposed gates',
    ops: ['lstmCell'],
    inputs: () => [r(12, 2), r(2, 3)],
    fn: (u, c) => {
      const s = lstmCell(u.transpose(0, 1), c);
      return add(s.h, s.c.mul(0.5));
    },
    gradgrad: true,
  },
  {
    name: 'lstmCell with peepholes (B 3, H 2): also in w_ci, w_cf, w_co',
    ops: ['lstmCell'],
    inputs: () => [r(3, 8), r(3, 2), r(2), r(2), r(2)],
    fn: (u, c, ci, cf, co) => {
      const s = lstmCell(u, c, { ci, cf, co });
      return add(s.h, s.c.mul(0.5));
    },
    gradgrad: true,
  },
  {
    name: 'gruCell (B 2, H 3): in both projections and the previous state',
    ops: ['gruCell'],
    inputs: () => [r(2, 9), r(2, 9), r(2, 3)],
    fn: (xp, q, h) => gruCell(xp, q, h),
    gradgrad: true,
  },
];
