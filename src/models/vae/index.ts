// Autoencoders and the VAE (Fashion-MNIST): the models, their loss terms, and the ae, conv-ae,
// vae and conv-vae recipes (whose runs draw the pictures of pictures.ts).
export { type Architecture, IMAGE_SIDE, IMAGE_PIXELS } from './nets.js';
export { gaussianKl, reconstructionNll, type DecoderKind, type ReconstructionOptions } from './losses.js';
export { Autoencoder, type AutoencoderOptions, type AutoencoderOutput } from './autoencoder.js';
export { VAE, vaeLoss, type VAEOptions, type VAEOutput, type VAELoss } from './vae.js';
export { buildVaeModel, AE_RECIPE, CONV_AE_RECIPE, VAE_RECIPE, CONV_VAE_RECIPE, type ImageData, type VaeRecipeName } from './recipes.js';
