// word2vec: skip-gram and CBOW with negative sampling, trained by sparse SGD on rows of W_in and
// W_out; the corpus side (tokens, vocabulary, subsampling, unigram table), evaluation (neighbours,
// analogies, overlap, PCA) and the `word2vec` recipe (registered on import).
export * from './corpus.js';
export * from './model.js';
export * from './task.js';
export * from './evaluate.js';
