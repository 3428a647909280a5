/**
 * The convolutional networks by name, with the input shape their papers use: what `shinsou summary
 * MODEL` builds. torchvision's names (resnet18, densenet121, mobilenet_v2, wide_resnet50_2...)
 * build the same networks as torchvision's builders; the CIFAR networks take 3 x 32 x 32.
 */
import type { Module } from '../../nn/module.js';
import {
  resnet18,
  resnet34,
  resnet50,
  wideResnet50_2,
  resnet20,
  resnet32,
  resnet44,
  resnet56,
  resnet110,
  preactResnet110,
  preactResnet164,
  wideResnet,
} from '../resnet/resnet.js';
import { pyramidNet } from '../resnet/pyramidnet.js';
import { densenet121, densenetBC, densenetCifar } from '../densenet/densenet.js';
import { mobilenetV1 } from '../mobilenet/mobilenet-v1.js';
import { mobilenetV2 } from '../mobilenet/mobilenet-v2.js';

export interface ZooEntry {
  build: () => Module;
  /** The input shape of the paper's setting, batch 1. */
  input: number[];
  description: string;
}

const IMAGENET = [1, 3, 224, 224];
const CIFAR = [1, 3, 32, 32];

export const CNN_ZOO: Readonly<Record<string, ZooEntry>> = {
  resnet18: { build: () => resnet18(), input: IMAGENET, description: 'ResNet-18 (He et al. 2016), torchvision resnet18' },
  resnet34: { build: () => resnet34(), input: IMAGENET, description: 'ResNet-34, torchvision resnet34' },
  resnet50: { build: () => resnet50(), input: IMAGENET, description: 'ResNet-50 (bottleneck), torchvision resnet50' },
  wide_resnet50_2: { build: () => wideResnet50_2(), input: IMAGENET, description: 'Wide ResNet-50-2, torchvision wide_resnet50_2' },
  densenet121: { build: () => densenet121(), input: IMAGENET, description: 'DenseNet-121 (Huang et al. 2017), torchvision densenet121' },
  mobilenet_v2: {
    build: () => mobilenetV2(),
    input: IMAGENET,
    description: 'MobileNet v2 (Sandler et al. 2018), torchvision mobilenet_v2',
  },
  mobilenet_v1: { build: () => mobilenetV1(), input: IMAGENET, description: 'MobileNet v1 1.0-224 (Howard et al. 2017)' },
  'mobilenet_v1_0.5': { build: () => mobilenetV1({ alpha: 0.5 }), input: IMAGENET, description: 'MobileNet v1, width multiplier 0.5' },
  resnet20: { build: () => resnet20(), input: CIFAR, description: 'CIFAR ResNet-20, option A shortcuts (He et al. 2016, section 4.2)' },
  resnet32: { build: () => resnet32(), input: CIFAR, description: 'CIFAR ResNet-32, option A' },
  resnet44: { build: () => resnet44(), input: CIFAR, description: 'CIFAR ResNet-44, option A' },
  resnet56: { build: () => resnet56(), input: CIFAR, description: 'CIFAR ResNet-56, option A' },
  resnet110: { build: () => resnet110(), input: CIFAR, description: 'CIFAR ResNet-110, option A' },
  preact_resnet110: { build: () => preactResnet110(), input: CIFAR, description: 'pre-activation ResNet-110 (He et al. 2016b)' },
  preact_resnet164: {
    build: () => preactResnet164(),
    input: CIFAR,
    description: 'pre-activation ResNet-164, bottleneck (He et al. 2016b)',
  },
  wrn_16_4: { build: () => wideResnet(16, 4), input: CIFAR, description: 'WRN-16-4 (Zagoruyko & Komodakis 2016)' },
  wrn_28_10: { build: () => wideResnet(28, 10), input: CIFAR, description: 'WRN-28-10' },
  pyramidnet_110_48: {
    build: () => pyramidNet(110, 48),
    input: CIFAR,
    description: 'PyramidNet-110, additive alpha = 48 (Han et al. 2017)',
  },
  densenet_bc_100_12: { build: () => densenetBC(100, 12), input: CIFAR, description: 'DenseNet-BC L = 100, k = 12 (Huang et al. 2017)' },
  densenet_40_12: {
    build: () => densenetCifar(40, 12),
    input: CIFAR,
    description: 'DenseNet L = 40, k = 12 (no bottleneck, no compression)',
  },
};
