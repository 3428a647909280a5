// The encoder-decoder family: the model, the generated tasks, batches, training and generation,
// and the recipes (registered on import).
export { Seq2Seq, type Seq2SeqOptions, type Seq2SeqAttention, type Seq2SeqState, type EncoderResult, type SourceBatch } from './model.js';
export { additionPairs, datePairs, seq2seqCharVocab, DATE_FORMATS, DATE_DAYS, PAD, BOS, EOS, SEQ2SEQ_UNK } from './data.js';
export type { TextPair, AdditionOptions, DatesOptions } from './data.js';
export { collateSeq2Seq, generateSeq2Seq, evaluateSeq2Seq, seq2seqTask } from './task.js';
export type { IdPair, SpecialIds, Seq2SeqBatch, GenerateOptions, Seq2SeqTrainOptions } from './task.js';
export { SEQ2SEQ_ADDITION_RECIPE, ATTENTION_DATES_RECIPE, ADDITION_VARIANTS, type AdditionVariant } from './recipes.js';
