#!/usr/bin/env node
// The figures and numbers of docs/rl-environments.md, from the built library (npm run build first):
//   node scripts/rl_environments_figures.mjs      (about a minute on one core)
// Writes docs/img/rl/gridworld-values.svg, qlearning-error.svg, cliff-walking.svg and prints the
// numbers the page quotes. Everything is seeded, so a rerun gives the same figures.
import { writeFileSync } from 'node:fs';
import { rl, Generator } from '../dist/src/index.js';

const out = new URL('../docs/img/rl/', import.meta.url).pathname;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

// 1. V* and the optimal policy of Russell and Norvig's 4x3 world (gamma = 1), as a grid picture.
{
  const g = new rl.GridWorld();
  const vi = rl.valueIteration(g.mdp(), { gamma: 1 });
  console.log(`value iteration, 4x3 world, gamma 1: ${vi.iterations} sweeps to tol 1e-12`);
  console.log(g.formatValues(vi.V));
  console.log(g.formatPolicy(vi.policy));
  const cell = 96;
  const arrows = ['\u2191', '\u2192', '\u2193', '\u2190'];
  const parts = [];
  const lo = Math.min(...vi.V);
  const hi = Math.max(...vi.V);
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.cols; c++) {
      const s = g.stateAt(r, c);
      const x = 10 + c * cell;
      const y = 40 + r * cell;
      if (s < 0) {
        parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="#555"/>`);
        continue;
      }
      const term = g.isTerminal[s] === 1;
      const v = term ? g.terminalReward[s] : vi.V[s];
      const t = (v - Math.min(lo, -1)) / (Math.max(hi, 1) - Math.min(lo, -1));
      const fill = `rgb(${Math.round(255 - 155 * t)},${Math.round(120 + 120 * t)},${Math.round(255 - 155 * t)})`;
      parts.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${term ? (v > 0 ? '#7c7' : '#e77') : fill}" stroke="#333"/>`,
      );
      parts.push(
        `<text x="${x + cell / 2}" y="${y + 38}" text-anchor="middle" font-size="18">${term ? (v > 0 ? '+1' : '\u22121') : v.toFixed(3)}</text>`,
      );
      if (!term) parts.push(`<text x="${x + cell / 2}" y="${y + 72}" text-anchor="middle" font-size="28">${arrows[vi.policy[s]]}</text>`);
    }
  }
  const w = 20 + g.cols * cell;
  const h = 50 + g.rows * cell;
  const title = esc('V*(s) and the optimal policy: 4x3 world, r = \u22120.04 per step, slip 0.2, \u03b3 = 1');
  writeFileSync(
    `${out}gridworld-values.svg`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>` +
      `<text x="10" y="24" font-size="13">${title}</text>${parts.join('')}</svg>\n`,
  );
}

async function plot(spec, file) {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  writeFileSync(`${out}${file}`, await view.toSVG());
}

// 2. Q-learning's max |Q - Q*| on the 4x3 world (gamma 0.9) against episodes, epsilon-greedy and
//    softmax behaviour, 3 seeds each (the settings of test/rl/tabular.test.ts).
{
  const gamma = 0.9;
  const vi = rl.valueIteration(new rl.GridWorld().mdp(), { gamma });
  const rows = [];
  const finals = {};
  const episodes = 200000;
  const marks = new Set();
  for (let e = 100; e <= episodes; e = Math.ceil(e * 1.15)) marks.add(e);
  marks.add(episodes);
  const rules = {
    'epsilon-greedy (0.7)': { kind: 'epsilon-greedy', epsilon: 0.7 },
    'softmax (tau 0.5)': { kind: 'softmax', temperature: 0.5 },
  };
  for (const [name, exploration] of Object.entries(rules)) {
    finals[name] = [];
    for (const seed of [1, 2, 3]) {
      const env = new rl.GridWorld({ exploringStarts: true, seed });
      const r = rl.qLearning(env, {
        episodes,
        gamma,
        alpha: 1,
        alphaPower: 0.85,
        exploration,
        seed,
        onEpisode: (ep, _G, Q) => {
          if (!marks.has(ep + 1)) return;
          let err = 0;
          for (let i = 0; i < Q.length; i++) err = Math.max(err, Math.abs(Q[i] - vi.Q[i]));
          rows.push({ episodes: ep + 1, error: err, rule: name, seed });
        },
      });
      const same = rl.greedyPolicy(r.Q, 4).every((a, s) => a === vi.policy[s]);
      finals[name].push({ seed, error: rows.at(-1).error, optimalPolicy: same });
    }
  }
  console.log('Q-learning after 200000 episodes, max |Q - Q*|:', JSON.stringify(finals));
  await plot(
    {
      title: 'Q-learning on the 4x3 world (\u03b3 = 0.9, \u03b1 = 1/n(s,a)^0.85): max |Q \u2212 Q*|, 3 seeds',
      width: 480,
      height: 280,
      data: { values: rows },
      layer: [
        {
          // The band spans the seeds' min to max.
          mark: { type: 'area', opacity: 0.25 },
          encoding: {
            x: { field: 'episodes', type: 'quantitative', scale: { type: 'log' } },
            y: {
              aggregate: 'min',
              field: 'error',
              type: 'quantitative',
              scale: { type: 'log' },
              title: 'max |Q - Q*| (mean line, min-max band)',
            },
            y2: { aggregate: 'max', field: 'error' },
            color: { field: 'rule', type: 'nominal', title: 'behaviour' },
          },
        },
        {
          mark: 'line',
          encoding: {
            x: { field: 'episodes', type: 'quantitative', scale: { type: 'log' } },
            y: { aggregate: 'mean', field: 'error', type: 'quantitative' },
            color: { field: 'rule', type: 'nominal' },
          },
        },
        {
          data: { values: [{ y: 0.01 }] },
          mark: { type: 'rule', strokeDash: [4, 4] },
          encoding: { y: { field: 'y', type: 'quantitative' } },
        },
      ],
    },
    'qlearning-error.svg',
  );
}

// 3. Cliff walking (Sutton and Barto, example 6.6, fig. 6.4): return per episode, Q-learning vs
//    SARSA, epsilon = 0.1, alpha = 0.5, mean over 20 seeds, smoothed over 10 episodes.
{
  const layout = ['............', '............', '............', 'SCCCCCCCCCCG'];
  const mk = (seed) => new rl.GridWorld({ layout, slip: 0, stepReward: -1, rewards: { G: 0, C: -100 }, maxEpisodeSteps: 1000, seed });
  const rows = [];
  const summary = {};
  for (const [name, f] of [
    ['Q-learning', rl.qLearning],
    ['SARSA', rl.sarsa],
  ]) {
    const sum = new Float64Array(500);
    const seeds = 20;
    let last100 = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const r = f(mk(seed), { episodes: 500, gamma: 1, alpha: 0.5, exploration: { kind: 'epsilon-greedy', epsilon: 0.1 }, seed });
      r.returns.forEach((v, i) => (sum[i] += v / seeds));
      last100 += r.returns.slice(-100).reduce((a, b) => a + b, 0) / 100 / seeds;
    }
    summary[name] = Number(last100.toFixed(1));
    for (let i = 9; i < 500; i++) {
      let m = 0;
      for (let k = i - 9; k <= i; k++) m += sum[k] / 10;
      rows.push({ episode: i + 1, return: m, algorithm: name });
    }
  }
  console.log('cliff walking, mean online return over episodes 401-500 (20 seeds):', JSON.stringify(summary));
  await plot(
    {
      title: 'Cliff walking: return per episode while learning (\u03b5 = 0.1, \u03b1 = 0.5), mean of 20 seeds',
      width: 480,
      height: 280,
      data: { values: rows },
      mark: 'line',
      encoding: {
        x: { field: 'episode', type: 'quantitative' },
        y: { field: 'return', type: 'quantitative', scale: { domain: [-100, 0], clamp: true }, title: 'sum of rewards (10-episode mean)' },
        color: { field: 'algorithm', type: 'nominal' },
      },
    },
    'cliff-walking.svg',
  );
}

// 4. The policy gradient theorem check's numbers (test/rl/policy-gradient.test.ts, same MDP).
{
  const g = new Generator(7);
  const S = 4;
  const A = 2;
  const P = new Float64Array(S * A * S);
  const R = new Float64Array(S * A * S);
  const terminal = new Uint8Array(S);
  terminal[S - 1] = 1;
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const row = (s * A + a) * S;
      if (terminal[s]) {
        P[row + s] = 1;
        continue;
      }
      let z = 0;
      for (let t = 0; t < S; t++) z += P[row + t] = -Math.log(1 - g.random());
      for (let t = 0; t < S; t++) {
        P[row + t] /= z;
        R[row + t] = 2 * g.random() - 1;
      }
    }
  }
  const mdp = { nStates: S, nActions: A, P, R, terminal };
  const tg = new Generator(17);
  const theta = Float64Array.from({ length: S * A }, () => tg.normal());
  const exact = rl.exactPolicyGradient(mdp, theta, { gamma: 0.9 });
  const est = rl.reinforceEstimate(mdp, theta, new Generator(3), { episodes: 200000, gamma: 0.9 });
  const biased = rl.reinforceEstimate(mdp, theta, new Generator(3), { episodes: 200000, gamma: 0.9, weighting: 'undiscounted' });
  console.log(`policy gradient check: J = ${exact.J.toFixed(6)}`);
  console.log('theta index | theorem grad | REINFORCE mean +- se | z | undiscounted-weight mean');
  for (let i = 0; i < (S - 1) * A; i++) {
    const z = (est.mean[i] - exact.grad[i]) / est.stdErr[i];
    console.log(
      `${i} | ${exact.grad[i].toFixed(5)} | ${est.mean[i].toFixed(5)} +- ${est.stdErr[i].toFixed(5)} | ${z.toFixed(2)} | ${biased.mean[i].toFixed(5)}`,
    );
  }
}
