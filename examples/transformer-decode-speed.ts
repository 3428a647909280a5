/**
 * Incremental decoding with the key/value cache against re-running the decoder over the prefix:
 * 40 target steps for a batch of 8 over a 40-position memory, nn.Transformer d_model 256, 8 heads,
 * 3 decoder layers, FFN 1024, eval mode, no gradients (the figure in docs/transformer.md). Both
 * paths give the same numbers (test/nn-attention.test.ts); this measures their time.
 * Run: npm run build && SHINSOU_THREADS=1 node dist/examples/transformer-decode-speed.js
 */
import { nn, randn, narrow, noGrad, manualSeed } from '../src/index.js';

manualSeed(0);
const t = new nn.Transformer({ dModel: 256, nhead: 8, numEncoderLayers: 3, numDecoderLayers: 3, dimFeedforward: 1024, batchFirst: true });
t.eval();
const [N, S, T] = [8, 40, 40];
const src = randn([N, S, 256]);
const tgt = randn([N, T, 256]);
noGrad(() => {
  const memory = t.encode(src);
  let t0 = performance.now();
  for (let i = 1; i <= T; i++) t.decode(narrow(tgt, 1, 0, i), memory, { tgtIsCausal: true });
  const prefix = performance.now() - t0;
  t0 = performance.now();
  const cache = t.newDecoderCache();
  for (let i = 0; i < T; i++) t.decodeStep(narrow(tgt, 1, i, 1), memory, cache);
  const cached = performance.now() - t0;
  console.log(
    `${T} decoding steps, batch ${N}, d_model 256, 3 layers: re-running the prefix ${prefix.toFixed(0)} ms, ` +
      `with the cache ${cached.toFixed(0)} ms (${(prefix / cached).toFixed(1)}x)`,
  );
});
