/**
 * nn.LSTM(256, 256) forward + backward on [T 35, B 32, 256] (median of 12 runs), the layer-level
 * number in docs/rnn.md. PyTorch's counterpart: /usr/bin/python3 scripts/lstm_speed_torch.py
 * Run: npm run build && SHINSOU_THREADS=1 node dist/examples/lstm-speed.js
 */
import { nn, randn, sum, backward } from '../src/index.js';

const m = new nn.LSTM(256, 256);
const ts: number[] = [];
for (let i = 0; i < 12; i++) {
  const x = randn([35, 32, 256]).requiresGrad_();
  const t0 = performance.now();
  backward([sum(m.forward(x).output)]);
  ts.push(performance.now() - t0);
}
ts.sort((a, b) => a - b);
console.log(`shinsou LSTM(256, 256) B32 T35 forward+backward: median ${ts[6]!.toFixed(1)} ms, min ${ts[0]!.toFixed(1)} ms`);
