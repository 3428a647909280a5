// The DenseNet family: dense blocks, transitions, DenseNet / -BC (ImageNet and CIFAR).
export * from './densenet.js';
