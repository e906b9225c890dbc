/** @selfsup/text — tokenization, corpus readers and masking tasks for language. */

export {
  type LabeledTextTrainTest,
  type LabeledTextTrainTestSource,
  readLabeledTextTrainTest,
} from './corpus/labeled-text-train-test.js';
export {
  CORPUS_EXTENSIONS,
  type CorpusSource,
  type ReadCorpusOptions,
  readCorpus,
  readCorpusLines,
  type SkippedCorpusFile,
  type TextDocument,
} from './corpus/read-corpus.js';
export { type ReadJsonlOptions, readJsonl } from './corpus/read-jsonl.js';
export { type LabeledTexts, type ReadLabeledTextOptions, readLabeledText } from './corpus/read-labeled-text.js';
export { type ReadLinesOptions, readLines } from './corpus/read-lines.js';
export { readTaggedCorpus, type TaggedCorpus } from './corpus/read-tagged-corpus.js';
export { type ConsecutiveSegmentsOptions, consecutiveSegments } from './data/consecutive-segments.js';
export {
  type CorpusSamples,
  type CorpusSamplesOptions,
  corpusSamples,
  segmentLength,
} from './data/corpus-samples.js';
export { type PackSequencesOptions, packSequences } from './data/pack-sequences.js';
export { type StratifiedSplitOptions, stratifiedSplit } from './data/stratified-split.js';
export { type TokenBatchDataset, type TokenBatchesOptions, tokenBatches } from './data/token-batches.js';
export {
  type MaskedTokenScoreOptions,
  type MaskedTokenScores,
  maskedTokenScores,
  unigramScores,
} from './evaluation/masked-token-scores.js';
export {
  bagOfWordsFeatures,
  frequentTokenIds,
  type PassageSet,
  type PassageSetOptions,
  passageFeatures,
  passageSet,
} from './evaluation/passage-features.js';
export {
  documentPassages,
  type LabeledPassages,
  type TextEncoderProbe,
  type TextEncoderProbeOptions,
  textEncoderProbe,
} from './evaluation/text-encoder-probe.js';
export { type BertMaskingOptions, maskTokens } from './masking/bert-masking.js';
export {
  DEFAULT_REPLACEMENT,
  IGNORE_INDEX,
  type MaskedTokens,
  type TokenReplacementOptions,
} from './masking/masked-tokens.js';
export {
  type MaskedSpans,
  type SpanMaskingOptions,
  spanLengthProbabilities,
  spanMaskTokens,
} from './masking/span-masking.js';
export {
  type CorruptedSpans,
  corruptSpans,
  randomSegmentation,
  type SpanCorruptionOptions,
} from './masking/t5-span-corruption.js';
export { type WholeWordMaskingOptions, wholeWordMaskTokens } from './masking/whole-word-masking.js';
export { type BertMlmTaskOptions, bertMlmTask } from './tasks/bert-mlm/bert-mlm-task.js';
export { type CbowTaskOptions, cbowTask } from './tasks/cbow/cbow-task.js';
export {
  type DocumentRotationBatch,
  type DocumentRotationTaskOptions,
  documentRotationTask,
} from './tasks/document-rotation/document-rotation-task.js';
export { type MaskedTokenBatch, maskedLanguageModelTask } from './tasks/masked-language-model-task.js';
export { type SentenceOrderTaskOptions, sentenceOrderTask } from './tasks/sentence-order/sentence-order-task.js';
export {
  permutations,
  type SentencePermutationTaskOptions,
  sentencePermutationTask,
} from './tasks/sentence-permutation/sentence-permutation-task.js';
export { type SkipGramTaskOptions, skipGramTask } from './tasks/skip-gram/skip-gram-task.js';
export { type SpanMlmTaskOptions, spanMlmTask } from './tasks/span-mlm/span-mlm-task.js';
export {
  type SpanCorruptionBatch,
  type T5SpanCorruptionTaskOptions,
  t5SpanCorruptionTask,
} from './tasks/t5-span-corruption/t5-span-corruption-task.js';
export { sparseAccuracy, sparseCrossEntropy } from './tasks/token-cross-entropy.js';
export { type WholeWordMlmTaskOptions, wholeWordMlmTask } from './tasks/whole-word-mlm/whole-word-mlm-task.js';
export { type Word2VecBatch, type Word2VecTaskOptions, word2vecTask } from './tasks/word2vec-task.js';
// Tasks are reached through the map (textTasks.<id>(options)); the task factories exported above are kept for
// existing callers, and a new task needs no line here.
export { textTasks } from './text-tasks.js';
export {
  asContextEmbeddingModel,
  asMaskedLanguageModel,
  asSequenceToSequenceModel,
  asTokenSequenceEncoder,
  type ContextEmbeddingModel,
  type MaskedLanguageModel,
  type SequenceToSequenceModel,
  type TokenSequenceEncoder,
} from './token-models.js';
export { type LoadTokenizerOptions, loadTokenizer, tokenizerFromJson } from './tokenizer/load-tokenizer.js';
export {
  BERT_SPECIAL_TOKENS,
  ROBERTA_SPECIAL_TOKENS,
  SPECIAL_TOKEN_ROLES,
  type SpecialTokens,
  sentinelToken,
} from './tokenizer/special-tokens.js';
export {
  type EncodeBatchOptions,
  type EncodedBatch,
  type EncodedText,
  TextTokenizer,
} from './tokenizer/text-tokenizer.js';
export {
  type CreateTokenVocabularyOptions,
  checkVocabulary,
  createTokenVocabulary,
  type TokenVocabulary,
} from './tokenizer/token-vocabulary.js';
export { type TrainTokenizerOptions, trainTokenizer } from './tokenizer/train-tokenizer.js';
export { type ContextWindowOptions, type ContextWindows, contextWindows } from './word2vec/context-pairs.js';
export { createNegativeSampler, type NegativeSampler } from './word2vec/negative-sampler.js';
export { subsamplingKeepProbabilities } from './word2vec/subsampling.js';
export { tokenCounts } from './word2vec/token-counts.js';
