// Evaluation metrics on plain tensors and numbers (no autograd).
export { accuracy, confusionMatrix, addConfusion, formatConfusionMatrix, predictions } from './classification.js';
export { perplexity } from './perplexity.js';
