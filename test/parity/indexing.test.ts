import { test } from 'node:test';
import { gather, scatterAdd, scatter, indexSelect, indexAdd, maskedFill, embedding, take, getItem, type Tensor } from '../../src/index.js';
import { checkCase, loadCases } from './_harness.js';

type Impl = (x: Tensor[], kw: Record<string, unknown>) => Tensor;
const impl: Record<string, Impl> = {
  'gather dim 0': ([x, i]) => gather(x!, 0, i!),
  'gather dim 1': ([x, i]) => gather(x!, 1, i!),
  'gather transposed': ([x, i]) => x!.gather(1, i!),
  'scatter_add dim 0': ([x, i, s]) => scatterAdd(x!, 0, i!, s!),
  'scatter_add dim 1 index smaller': ([x, i, s]) => x!.scatterAdd(1, i!, s!),
  'scatter src': ([x, i, s]) => scatter(x!, 0, i!, s!),
  'scatter value': ([x, i]) => x!.scatter(0, i!, -1.5),
  'index_select dim 0': ([x, i]) => indexSelect(x!, 0, i!),
  'index_select transposed': ([x, i]) => x!.indexSelect(1, i!),
  index_add: ([x, i, s]) => indexAdd(x!, 1, i!, s!, { alpha: 2 }),
  'masked_fill broadcast': ([x, m]) => maskedFill(x!, m!, -3),
  'masked_fill transposed': ([x, m]) => x!.maskedFill(m!, 2),
  'embedding repeated': ([w, i]) => embedding(w!, i!),
  'embedding padding_idx': ([w, i]) => embedding(w!, i!, { paddingIdx: 2 }),
  take: ([x, i]) => take(x!, i!),
  'getitem basic': ([x]) => getItem(x!, { start: 1 }, null, '...', -1),
  'getitem tensor index': ([x, i]) => x!.getItem(':', i!),
  'getitem bool mask': ([x, m]) => getItem(x!, m!),
};

for (const c of loadCases('indexing')) {
  test(`parity indexing: ${c.name}`, () => {
    const f = impl[c.name];
    if (!f) throw new Error(`no shinsou implementation mapped for fixture case '${c.name}'`);
    checkCase(c, f);
  });
}
