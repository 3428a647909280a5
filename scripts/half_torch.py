#!/usr/bin/env python3
"""float16 and bfloat16 safetensors between PyTorch and shinsou, in both directions.

Run with Debian's system interpreter (python3-torch; the `safetensors` package is not needed: the
format is written and read by hand, as in torch_interop.py):

save:  64 seeded normal values and edge cases (ties, subnormals, overflow) -> torch_half.safetensors
       with the float32 originals `x` and torch's own `x.half()` (F16) and `x.bfloat16()` (BF16);
       test/compress-quant.test.ts encodes `x` with shinsou and requires the same bytes.
check: loads shinsou_half.safetensors (written by shinsou from the same `x`; the test suite asserts
       the committed file is what shinsou writes) with torch.frombuffer as torch.float16 and
       torch.bfloat16, and requires the values torch itself rounds `x` to.

    /usr/bin/python3 scripts/half_torch.py [save|check|all]
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import torch_interop as ti  # noqa: E402  (the hand-written safetensors reader and writer)

ti.DTYPES.update({torch.float16: "F16", torch.bfloat16: "BF16"})
ti.FROM.update({"F16": torch.float16, "BF16": torch.bfloat16})
OUT = ti.OUT


def values():
    torch.manual_seed(0)
    edge = [1.0, -2.0, 65504.0, 65520.0, 0.1, 2.0**-24, 2.0**-25, 3 * 2.0**-25, 1 + 2.0**-11, 1 + 3 * 2.0**-11, 1 + 2.0**-8, 1 + 3 * 2.0**-8, 1e-40, -0.0, 3.0e38]
    return torch.cat([torch.tensor(edge, dtype=torch.float32), torch.randn(64)])


def save():
    x = values()
    # numpy has no bfloat16: write its bits as int16 under the BF16 name.
    tensors = {"x": x, "x_f16": x.half()}
    path = os.path.join(OUT, "torch_half.safetensors")
    ti.write_safetensors(path, tensors, {"source": "scripts/half_torch.py"})
    # append the bf16 tensor by rewriting with raw bits
    raw_tensors, meta = ti.read_safetensors(path)
    bits = x.bfloat16().view(torch.int16)
    ti.DTYPES[torch.int16] = "BF16"
    ti.write_safetensors(path, {"x": raw_tensors["x"], "x_f16": raw_tensors["x_f16"], "x_bf16": bits}, meta)
    print(f"wrote {path}")


def check():
    path = os.path.join(OUT, "shinsou_half.safetensors")
    if not os.path.exists(path):
        sys.exit("fixtures/interop/shinsou_half.safetensors is missing: run SHINSOU_WRITE_FIXTURES=1 node scripts/run-tests.mjs compress-quant")
    t, meta = ti.read_safetensors(path)
    x = values()
    assert t["x_f16"].dtype == torch.float16 and t["x_bf16"].dtype == torch.bfloat16
    assert torch.equal(t["x_f16"].view(torch.int16), x.half().view(torch.int16)), "F16 bits differ from torch's x.half()"
    assert torch.equal(t["x_bf16"].view(torch.int16), x.bfloat16().view(torch.int16)), "BF16 bits differ from torch's x.bfloat16()"
    print(f"shinsou_half.safetensors: torch reads F16 and BF16, {x.numel()} values each, bit-identical to torch's own rounding")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in ("save", "all"):
        save()
    if what in ("check", "all"):
        check()
