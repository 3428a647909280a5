// word2vec: skip-gram and CBOW with negative sampling, trained by sparse SGD on rows of W_in and
// W_out; the corpus side (tokens, vocabulary, subsampling, unigram table), evaluation (neighbours,
// analogies, overlap, PCA), the KJV analogy list and stop words, and the `word2vec` recipe
// (registered on import). The sparse steps themselves (model.ts: negativeSamplingStep,
// skipGramStep, cbowStep) are the inner loop's reference, not exported here.
export { tokenizeVerse, tokenizeLines, Word2VecVocab, keepThresholds, keepProbabilities, unigramTable } from './corpus.js';
export { Word2Vec, negativeSamplingLoss, type Word2VecOptions } from './model.js';
export { word2vecTask, type Word2VecTrainOptions, type EncodedCorpus } from './task.js';
export { WordVectors, analogyAccuracy, neighbourOverlap, pca2, type AnalogyQuestion } from './evaluate.js';
export { KJV_ANALOGY_PAIRS, kjvAnalogyQuestions, formatAnalogies } from './analogies.js';
export { KJV_STOP_WORDS, contentWords } from './stopwords.js';
export { WORD2VEC_RECIPE } from './recipes.js';
