// Image classifiers (Fashion-MNIST): the models, their evaluation, and the mlp and cnn recipes.
export * from './models.js';
export * from './evaluate.js';
export * from './recipes.js';
