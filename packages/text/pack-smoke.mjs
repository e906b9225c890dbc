// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs.
import { createRng, initBackend, tf } from '@selfsup/backend';
import { bertMlmTask, IGNORE_INDEX, trainTokenizer } from '@selfsup/text';

await initBackend({ log: false });
const corpus = [
  'The Fulton County Grand Jury said Friday an investigation of recent primary elections produced no evidence.',
  'The jury further said in term-end presentments that the City Executive Committee deserves praise.',
  'It recommended that Fulton legislators act to have these laws studied and revised.',
];
const tokenizer = await trainTokenizer(corpus, { vocabSize: 200 });
const batch = await tokenizer.encodeBatch(corpus, { maxLength: 24, padding: 'max-length' });
const ids = tf.tensor2d(batch.inputIds, [batch.batchSize, batch.sequenceLength], 'int32');
const masked = bertMlmTask({ vocabulary: tokenizer.vocabulary, maskProbability: 0.5 }).makeBatch(ids, {
  rng: createRng(0),
  training: true,
});
const labels = masked.targets.dataSync();
if (!labels.some((label) => label !== IGNORE_INDEX)) throw new Error('no token was masked');
tf.dispose([ids, masked.inputs, masked.targets, masked.weights, masked.maskedPositions, masked.maskedLabels]);
console.log(`text: WordPiece of ${tokenizer.vocabSize} tokens, ${masked.maskedPositions.size} masked positions`);
