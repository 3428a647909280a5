// The ResNet family: residual blocks, ResNet v1/v2 (ImageNet and CIFAR), WideResNet, PyramidNet.
export * from './blocks.js';
export * from './resnet.js';
export * from './pyramidnet.js';
