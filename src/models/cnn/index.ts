// Shared pieces of the convolutional families, the zoo by name (shinsou summary MODEL) and their Fashion-MNIST recipes.
export { CNN_ZOO, type ZooEntry } from './zoo.js';
export * from './recipes.js';
