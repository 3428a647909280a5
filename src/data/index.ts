// torch.utils.data's counterpart plus image transforms and the IDX format. No Node-only API here:
// the file loaders (gzip, download) live in src/node.
export { type Dataset, TensorDataset, Subset, MapDataset, randomSplit, randperm, gatherRows } from './dataset.js';
export { DataLoader, type DataLoaderOptions, type DataLoaderState, defaultCollate, type Collated } from './dataloader.js';
export {
  type Transform,
  normalize,
  randomCrop,
  randomHorizontalFlip,
  randomErasing,
  compose,
  type RandomCropOptions,
  type RandomErasingOptions,
} from './transforms.js';
export { parseIdx, encodeIdx, type IdxArray, type IdxDType, type IdxData } from './idx.js';
export { parseWesnothDialogue, WESNOTH_CAMPAIGNS, type DialogueTurn, type ParseWesnothOptions } from './text/wesnoth.js';
export { dialogueExamples, tokenizeDialogue, type DialogueExample, type DialogueExamplesOptions } from './text/dialogue.js';
export {
  BIBLE_BOOKS,
  BIBLE_MODULES,
  TRANSLATION_VALID_BOOKS,
  TRANSLATION_TEST_BOOKS,
  osisToText,
  parseDiathekeBook,
  alignVerses,
  splitPairsByBook,
  formatPairs,
  parsePairs,
  type BibleVerse,
  type VersePair,
} from './text/bible-parallel.js';
export { BpeVocab, bpeWords, BPE_SPECIALS, WORD_START, type BpeJson, type BpeLearnOptions } from './text/bpe.js';
