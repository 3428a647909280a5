// GANs (Fashion-MNIST): the fully connected GAN and the DCGAN, their losses, and the gan and dcgan recipes.
export * from './models.js';
export * from './loss.js';
export * from './recipes.js';
export * from './quality.js';
