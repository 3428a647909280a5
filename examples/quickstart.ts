// A small network learns y = sin(3x) from 256 noisy points: define, train, watch the loss fall.
import { nn, optim, manualSeed, rand, randn, mseLoss } from '../src/index.js';

manualSeed(0); // every run prints the same numbers

const x = rand([256, 1]).mul(2).sub(1); // inputs in [-1, 1)
const y = x
  .mul(3)
  .sin()
  .add(randn([256, 1]).mul(0.05)); // noisy targets

const model = new nn.Sequential(new nn.Linear(1, 32), new nn.Tanh(), new nn.Linear(32, 32), new nn.Tanh(), new nn.Linear(32, 1));
console.log(model.toString());

const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
for (let step = 0; step <= 500; step++) {
  opt.zeroGrad();
  const loss = mseLoss(model.forward(x), y); // mean squared error
  loss.backward(); // every parameter gets its .grad
  opt.step();
  if (step % 50 === 0) console.log(`step ${String(step).padStart(3)}  loss ${loss.item().toFixed(5)}`);
}
