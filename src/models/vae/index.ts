// Autoencoders and the VAE (Fashion-MNIST): the models, their loss terms, their pictures, and the ae, conv-ae, vae and conv-vae recipes.
export * from './nets.js';
export * from './losses.js';
export * from './autoencoder.js';
export * from './vae.js';
export * from './pictures.js';
export * from './recipes.js';
