#!/usr/bin/env node
// Checks shinsou's CNNs against the reference files of scripts/torchvision_models.py (run `npm run
// build` first; this uses dist/):
//
//   node scripts/check-torchvision.mjs DIR MODEL...     e.g. DIR resnet18 densenet121 mobilenet_v2
//
// For each MODEL it builds shinsou's network of that name, loads DIR/MODEL.safetensors strictly
// (every key of the file used, every key of the model present, every shape equal; a mismatch lists
// the keys), checks that the parameter count equals torchvision's (DIR/MODEL.json) both by
// numParameters and by nn.summary's total, runs DIR/MODEL.io.safetensors's input in eval mode and
// compares the logits elementwise: |ours - torch| <= rtol * (|torch| + max|torch|), rtol = 1e-4.
// Exits 1 on the first failure. test/models/cnn-torchvision.test.ts runs it on the committed tiny
// fixtures (fixtures/cnn); .ci/run on freshly generated resnet18, densenet121 and mobilenet_v2.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nn, noGrad, setNumThreads } from '../dist/src/index.js';
import { decodeSafetensors } from '../dist/src/io/safetensors.js';
import { cnn, resnet, densenet, mobilenet } from '../dist/src/models/index.js';

const { CNN_ZOO } = cnn;

const RTOL = 1e-4;

/** The tiny configurations of scripts/torchvision_models.py --tiny, as shinsou constructor calls. */
const TINY = {
  tiny_resnet_basic: () => new resnet.ResNet({ layers: [1, 2, 1, 1], widths: [4, 8, 16, 32], numClasses: 10 }),
  tiny_resnet_bottleneck: () => new resnet.ResNet({ block: 'bottleneck', layers: [1, 1, 2, 1], widths: [4, 8, 16, 32], numClasses: 10 }),
  tiny_densenet: () => new densenet.DenseNet({ growthRate: 4, blockConfig: [2, 3], numInitFeatures: 8, bnSize: 2, numClasses: 10 }),
  tiny_mobilenet_v2: () =>
    new mobilenet.MobileNetV2({
      numClasses: 10,
      widthMult: 0.25,
      invertedResidualSetting: [
        [1, 16, 1, 1],
        [6, 24, 2, 2],
        [6, 32, 2, 2],
      ],
    }),
};

function build(name) {
  if (TINY[name]) return TINY[name]();
  const entry = CNN_ZOO[name];
  if (!entry)
    throw new Error(
      `check-torchvision: no model '${name}' (expected one of ${[...Object.keys(TINY), ...Object.keys(CNN_ZOO)].join(', ')})`,
    );
  return entry.build();
}

function check(dir, name) {
  const t0 = performance.now();
  const info = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  const state = decodeSafetensors(new Uint8Array(readFileSync(join(dir, `${name}.safetensors`))));
  const io = decodeSafetensors(new Uint8Array(readFileSync(join(dir, `${name}.io.safetensors`)))).tensors;
  const model = build(name);
  const load = model.loadStateDict(state.tensors, { strict: true });
  const keys = Object.keys(state.tensors).length;
  const params = model.numParameters(false);
  if (params !== info.parameters) throw new Error(`${name}: ${params} parameters, torchvision has ${info.parameters}`);
  const s = nn.summary(model, [1, ...info.input.slice(1)]);
  if (s.totalParams !== info.parameters)
    throw new Error(`${name}: summary counts ${s.totalParams} parameters, torchvision has ${info.parameters}`);
  model.eval();
  const ours = noGrad(() => model.forward(io.input))
    .toList()
    .flat(Infinity);
  const ref = io.logits.toList();
  if (ours.length !== ref.length) throw new Error(`${name}: ${ours.length} logits, torchvision has ${ref.length}`);
  const scale = Math.max(...ref.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(ours[i] - ref[i]);
    const tol = RTOL * (Math.abs(ref[i]) + scale);
    if (!(err <= tol)) throw new Error(`${name}: logit ${i}: ours ${ours[i]}, torchvision ${ref[i]} (|diff| ${err} > ${tol})`);
    worst = Math.max(worst, err / (Math.abs(ref[i]) + scale));
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `${name}: ok: ${keys} keys loaded strictly (${load.missingKeys.length} missing, ${load.unexpectedKeys.length} unexpected), ` +
      `${params} parameters = torchvision's, ${(s.totalMacs / 1e6).toFixed(1)}M MACs at [${[1, ...info.input.slice(1)].join(', ')}], ` +
      `${ref.length} logits within rtol ${RTOL} (worst ${worst.toExponential(2)}), ${secs} s`,
  );
}

const [dir, ...names] = process.argv.slice(2);
if (!dir || names.length === 0) {
  console.error('usage: node scripts/check-torchvision.mjs DIR MODEL... (files from scripts/torchvision_models.py)');
  process.exit(2);
}
if (process.env.SHINSOU_THREADS) setNumThreads(Number(process.env.SHINSOU_THREADS));
try {
  for (const name of names) check(dir, name);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
