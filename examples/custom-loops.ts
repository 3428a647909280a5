/**
 * Two loops that are not supervised, on the one Trainer (docs/training.md): a GAN step with two
 * optimizers, and a REINFORCE agent that collects its own episodes. Both checkpoint and resume
 * like any recipe: the Trainer saves the modules and optimizers they name, and each task saves
 * the rest of its state (here the environment's random generator) in saveState.
 *   node dist/examples/custom-loops.js
 */
import {
  Generator,
  Tensor,
  randn,
  ones,
  zeros,
  full,
  tensor,
  nn,
  optim,
  mseLoss,
  crossEntropy,
  mul,
  mean,
  add,
  softmax,
  noGrad,
} from '../src/index.js';
import { Trainer, optimizeStep, type TrainTask } from '../src/train/index.js';

/** A GAN on 1-D data: the generator maps noise to samples, the discriminator scores them. */
export function ganTask(stepsPerEpoch: number): TrainTask {
  const g = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 1));
  const d = new nn.Sequential(new nn.Linear(1, 8), new nn.ReLU(), new nn.Linear(8, 1));
  const optG = new optim.Adam(g.parameters(), { lr: 1e-3 });
  const optD = new optim.Adam(d.parameters(), { lr: 1e-3 });
  const one = ones([16, 1]);
  const zero = zeros([16, 1]);
  return {
    modules: { generator: g, discriminator: d },
    optimizers: { generator: optG, discriminator: optD },
    stepsPerEpoch,
    trainStep: () => {
      const real = add(mul(randn([16, 1]), 0.5), 2); // the data: N(2, 0.5^2)
      const fake = g.forward(randn([16, 2]));
      // Least-squares GAN: D pushes real to 1 and fake to 0, then G pushes D(fake) to 1.
      const lossD = optimizeStep(optD, add(mseLoss(d.forward(real), one), mseLoss(d.forward(fake.detach()), zero)));
      const lossG = optimizeStep(optG, mseLoss(d.forward(fake), one));
      return { loss: lossD + lossG, examples: 16, totals: { lossG: lossG * 16 } };
    },
    evaluate: () => ({ fakeMean: noGrad(() => mean(g.forward(randn([256, 2]))).item()) }),
  };
}

/**
 * A 5-cell corridor: start in the middle, step left or right, reward 1 at the right end, 0 at the
 * left end, at most 10 moves. Each trainStep plays one episode with the current policy (the data
 * is collected by the task, not read from a loader) and applies REINFORCE:
 * loss = mean_t G_t * (-log pi(a_t | s_t)).
 */
export function corridorTask(stepsPerEpoch: number, seed = 0): TrainTask {
  const policy = new nn.Sequential(new nn.Linear(5, 16), new nn.Tanh(), new nn.Linear(16, 2));
  const opt = new optim.Adam(policy.parameters(), { lr: 1e-2 });
  const env = new Generator(seed);
  const oneHot = (s: number) => tensor([Array.from({ length: 5 }, (_, i) => (i === s ? 1 : 0))]);
  const play = (learn: boolean) => {
    const states: number[] = [];
    const actions: number[] = [];
    let s = 2;
    let reward = 0;
    for (let t = 0; t < 10 && reward === 0 && s > 0; t++) {
      const p = noGrad(() => softmax(policy.forward(oneHot(s)), 1).data);
      const a = env.random() < p[1]! ? 1 : 0;
      states.push(s);
      actions.push(a);
      s += a === 1 ? 1 : -1;
      if (s === 4) reward = 1;
    }
    if (!learn) return { reward, loss: 0 };
    const x = tensor(states.map((st) => Array.from({ length: 5 }, (_, i) => (i === st ? 1 : 0))));
    const nll = crossEntropy(policy.forward(x), new Tensor(Int32Array.from(actions), [actions.length]), { reduction: 'none' });
    const returns = full([actions.length], reward - 0.5); // a constant baseline of 0.5
    return { reward, loss: optimizeStep(opt, mean(mul(nll, returns))) };
  };
  return {
    modules: { policy },
    optimizers: { policy: opt },
    stepsPerEpoch,
    trainStep: () => {
      const r = play(true);
      return { loss: r.loss, totals: { reward: r.reward } };
    },
    evaluate: () => {
      let wins = 0;
      for (let i = 0; i < 20; i++) wins += play(false).reward;
      return { winRate: wins / 20 };
    },
    saveState: () => ({ json: env.getState() }),
    loadState: (s) => {
      env.setState(s.json as number[]);
    },
  };
}

export async function runCustomLoops(epochs = 3, stepsPerEpoch = 50): Promise<{ fakeMean: number; winRate: number }> {
  const gan = new Trainer(ganTask(stepsPerEpoch), { epochs });
  await gan.fit();
  const rl = new Trainer(corridorTask(stepsPerEpoch), { epochs, monitor: 'winRate', mode: 'max', earlyStopping: { target: 1 } });
  await rl.fit();
  const last = (t: Trainer) => t.history[t.history.length - 1]!.eval;
  return { fakeMean: last(gan)['fakeMean']!, winRate: last(rl)['winRate']! };
}

if (process.argv[1]?.endsWith('custom-loops.js')) {
  const r = await runCustomLoops(5, 200);
  console.log(`GAN: mean of generated samples ${r.fakeMean.toFixed(3)} (data mean 2); corridor: win rate ${r.winRate.toFixed(2)}`);
}
