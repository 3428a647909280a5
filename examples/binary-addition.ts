/**
 * Binary addition with a simple RNN trained by explicit backpropagation through time (no
 * autograd): add two 8-bit numbers bit by bit, LSB first, until every held-out pair is right.
 * Run: npm run build && node dist/examples/binary-addition.js [maxSteps]
 */
import { trainBinaryAddition, encode, BITS } from '../src/models/rnn/binary-addition.js';

const maxSteps = Number(process.argv[2] ?? 20000);
const r = await trainBinaryAddition({
  maxSteps,
  onEval: (step, loss, acc) =>
    console.log(`step ${String(step).padStart(5)}  loss ${loss.toFixed(4)}  held-out exact ${(acc * 100).toFixed(1)}%`),
});
console.log(
  `${r.heldOutAccuracy === 1 ? 'solved' : 'not solved'}: ${(r.heldOutAccuracy * 100).toFixed(1)}% of ${r.heldOutPairs} held-out pairs ` +
    `(trained on ${r.trainPairs}) after ${r.steps} steps in ${r.seconds.toFixed(2)} s`,
);
// Show one held-out sum, bit by bit.
const a = 93;
const b = 34;
const { xs } = encode([{ a, b }]);
const y: number[] = r.net.forward(xs, 1).y.map((v) => (v[0]! > 0.5 ? 1 : 0));
const bits = (n: number): string => Array.from({ length: BITS }, (_, t) => (n >> (BITS - 1 - t)) & 1).join('');
console.log(`  ${bits(a)} (${a})\n+ ${bits(b)} (${b})\n= ${y.slice().reverse().join('')} (${y.reduce((s, v, t) => s + (v << t), 0)})`);
