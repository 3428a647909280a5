#!/usr/bin/env python3
"""torchvision models as reference files for shinsou's CNN families (docs/cnn.md).

Run with Debian's system interpreter (python3-torch, python3-torchvision):

    /usr/bin/python3 scripts/torchvision_models.py OUTDIR resnet18 densenet121 mobilenet_v2
    /usr/bin/python3 scripts/torchvision_models.py OUTDIR resnet50 wide_resnet50_2   # the large ones, on demand
    /usr/bin/python3 scripts/torchvision_models.py --tiny fixtures/cnn               # the committed test fixtures
    /usr/bin/python3 scripts/torchvision_models.py --counts fixtures/cnn/torchvision-counts.json

For each model NAME it writes, into OUTDIR:
  NAME.safetensors     the state dict of a randomly initialised torchvision model (seed 0), with
                       every BatchNorm's weight, bias, running mean and running variance randomised
                       too (otherwise eval-mode BN is the identity and a wrong key order would pass);
                       num_batches_tracked is written as I32 (shinsou's integer type)
  NAME.io.safetensors  `input` (a fixed normal input, seed 1) and `logits` (the model's output in eval mode)
  NAME.json            the constructor call, the input shape, and the parameter count
                       (sum of p.numel() over model.parameters(), what `shinsou summary` must match)

The full-size models take torchvision's builders with their defaults (1000 classes, 224 x 224
input, batch 2). --tiny builds small configurations with torchvision's own classes and arguments
(DenseNet and MobileNetV2 through their constructors; ResNet through torchvision's ResNet and its
_make_layer at widths 4-8-16-32, as its constructor fixes 64-128-256-512), small enough to commit.
--counts writes only the parameter count of every full-size model (committed; the test suite checks
shinsou's counts and `nn.summary` totals against it without Python or weights).
scripts/check-torchvision.mjs (node, on the built dist) loads the files into shinsou's models
strictly by name and compares the logits; test/models/cnn-torchvision.test.ts does the same for
the committed tiny fixtures.
"""
import json
import os
import struct
import sys

import torch
import torchvision
from torch import nn
from torchvision.models import resnet as tv_resnet

DTYPES = {torch.float32: "F32", torch.int32: "I32"}


def write_safetensors(path, tensors, metadata=None):
    """The safetensors layout: u64 little-endian header length, JSON header, raw little-endian data."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype == torch.int64:
            t = t.to(torch.int32)
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def tiny_resnet(block, layers, num_classes):
    """torchvision's ResNet at widths 4-8-16-32: its constructor, then its own _make_layer at small planes."""
    m = tv_resnet.ResNet(block, [1, 1, 1, 1], num_classes=num_classes)
    m.inplanes = 4
    m.conv1 = nn.Conv2d(3, 4, kernel_size=7, stride=2, padding=3, bias=False)
    m.bn1 = nn.BatchNorm2d(4)
    m.layer1 = m._make_layer(block, 4, layers[0])
    m.layer2 = m._make_layer(block, 8, layers[1], stride=2)
    m.layer3 = m._make_layer(block, 16, layers[2], stride=2)
    m.layer4 = m._make_layer(block, 32, layers[3], stride=2)
    m.fc = nn.Linear(32 * block.expansion, num_classes)
    return m


# name -> (builder, call description for NAME.json, input shape)
FULL = {
    "resnet18": (lambda: torchvision.models.resnet18(), "torchvision.models.resnet18()", [2, 3, 224, 224]),
    "resnet34": (lambda: torchvision.models.resnet34(), "torchvision.models.resnet34()", [2, 3, 224, 224]),
    "resnet50": (lambda: torchvision.models.resnet50(), "torchvision.models.resnet50()", [2, 3, 224, 224]),
    "wide_resnet50_2": (lambda: torchvision.models.wide_resnet50_2(), "torchvision.models.wide_resnet50_2()", [2, 3, 224, 224]),
    "densenet121": (lambda: torchvision.models.densenet121(), "torchvision.models.densenet121()", [2, 3, 224, 224]),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(), "torchvision.models.mobilenet_v2()", [2, 3, 224, 224]),
}
TINY = {
    "tiny_resnet_basic": (
        lambda: tiny_resnet(tv_resnet.BasicBlock, [1, 2, 1, 1], 10),
        "torchvision ResNet(BasicBlock) re-made at widths [4, 8, 16, 32], layers [1, 2, 1, 1], 10 classes",
        [2, 3, 32, 32],
    ),
    "tiny_resnet_bottleneck": (
        lambda: tiny_resnet(tv_resnet.Bottleneck, [1, 1, 2, 1], 10),
        "torchvision ResNet(Bottleneck) re-made at widths [4, 8, 16, 32], layers [1, 1, 2, 1], 10 classes",
        [2, 3, 32, 32],
    ),
    "tiny_densenet": (
        lambda: torchvision.models.DenseNet(growth_rate=4, block_config=(2, 3), num_init_features=8, bn_size=2, num_classes=10),
        "torchvision.models.DenseNet(growth_rate=4, block_config=(2, 3), num_init_features=8, bn_size=2, num_classes=10)",
        [2, 3, 32, 32],
    ),
    "tiny_mobilenet_v2": (
        lambda: torchvision.models.MobileNetV2(
            num_classes=10,
            width_mult=0.25,
            inverted_residual_setting=[[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 2, 2]],
        ),
        "torchvision.models.MobileNetV2(num_classes=10, width_mult=0.25, inverted_residual_setting=[[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 2, 2]])",
        [2, 3, 32, 32],
    ),
}


def randomise_batch_norms(model, gen):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(torch.rand(n, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(n, generator=gen) + 0.5)
                m.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=gen)))


def write(name, spec, outdir):
    build, call, shape = spec
    torch.manual_seed(0)
    model = build()
    randomise_batch_norms(model, torch.Generator().manual_seed(2))
    model.eval()
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        logits = model(x)
    params = sum(p.numel() for p in model.parameters())
    meta = {"source": "scripts/torchvision_models.py", "model": name, "torchvision": torchvision.__version__}
    write_safetensors(os.path.join(outdir, f"{name}.safetensors"), model.state_dict(), meta)
    write_safetensors(os.path.join(outdir, f"{name}.io.safetensors"), {"input": x, "logits": logits}, meta)
    info = {"model": name, "call": call, "input": shape, "parameters": params, "torch": torch.__version__, "torchvision": torchvision.__version__}
    tmp = os.path.join(outdir, f"{name}.json.tmp")
    with open(tmp, "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    os.replace(tmp, os.path.join(outdir, f"{name}.json"))
    print(f"{name}: {params} parameters, logits {list(logits.shape)} -> {outdir}")


def main(argv):
    torch.set_num_threads(1)
    if len(argv) == 2 and argv[0] == "--counts":
        counts = {}
        for name, (build, call, shape) in FULL.items():
            counts[name] = {"call": call, "input": shape, "parameters": sum(p.numel() for p in build().parameters())}
        tmp = argv[1] + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"torchvision": torchvision.__version__, "models": counts}, f, indent=1)
            f.write("\n")
        os.replace(tmp, argv[1])
        print(f"wrote {argv[1]}")
        return
    if len(argv) >= 2 and argv[0] == "--tiny":
        outdir, names, table = argv[1], list(TINY), TINY
    elif len(argv) >= 2:
        outdir, names, table = argv[0], argv[1:], FULL
    else:
        sys.exit(f"usage: {sys.argv[0]} OUTDIR MODEL... (one of {', '.join(FULL)}) | --tiny OUTDIR | --counts FILE.json")
    os.makedirs(outdir, exist_ok=True)
    for name in names:
        if name not in table:
            sys.exit(f"unknown model '{name}'; expected one of {', '.join(table)}")
        write(name, table[name], outdir)


if __name__ == "__main__":
    main(sys.argv[1:])
