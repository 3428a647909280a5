// Evaluation metrics on plain tensors and numbers (no autograd), and on token sequences (distinct-n).
export { accuracy, confusionMatrix, addConfusion, formatConfusionMatrix, predictions } from './classification.js';
export { perplexity } from './perplexity.js';
export { distinctN } from './distinct.js';
export { featureStatistics, frechetDistance, symmetricEigen, type FeatureStatistics, type SymmetricEigen } from './frechet.js';
export { corpusBleu, tokenize13a, type BleuResult, type BleuOptions } from './bleu.js';
