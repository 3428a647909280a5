#!/usr/bin/python3
"""torch.nn.LSTM(256, 256) forward + backward on [35, 32, 256], median of 12 (see examples/lstm-speed.ts)."""
import sys
import time

import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
m = torch.nn.LSTM(256, 256)
ts = []
for _ in range(12):
    x = torch.randn(35, 32, 256, requires_grad=True)
    t0 = time.perf_counter()
    m(x)[0].sum().backward()
    ts.append((time.perf_counter() - t0) * 1000)
ts.sort()
print(f"torch {torch.__version__} LSTM(256, 256) B32 T35 forward+backward: median {ts[6]:.1f} ms, min {ts[0]:.1f} ms")
