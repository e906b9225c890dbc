import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type BackendInfo, createRng, initBackend, type Rng, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import { createTextTransformer, saveModule, type TextTransformer } from '@selfsup/models';
import {
  IGNORE_INDEX,
  loadTokenizer,
  maskTokens,
  packSequences,
  type TextTokenizer,
  type TokenVocabulary,
  textTasks,
  tokenBatches,
  tokenCounts,
  trainTokenizer,
} from '@selfsup/text';
import {
  type EvaluationRow,
  knnClassifier,
  latestCheckpoint,
  linearProbe,
  metricsLogCallback,
  pretrain,
  progressCallback,
  type TrainingCallback,
  taskObjective,
  writeReport,
} from '@selfsup/trainer';
import { type BrownDocument, defaultBrownDirectory, loadBrownCorpus, splitByGenre } from './brown-corpus.js';
import { corpusFingerprint, tokenizerFingerprint } from './fingerprints.js';
import type { MlmOptions } from './mlm-options.js';
import { type MlmRunRecord, resumedOptions, runSettingsOf } from './mlm-run-record.js';
import { checkResumePointLoads, findResumePoint, type ResumePoint } from './resume-point.js';
import { keepMetricsUpTo, type MlmRunPaths, mlmRunPaths, saveTokenizerAtomically } from './run-directory.js';

/** Masked-token prediction on held-out text. */
export interface MaskedTokenScores {
  /** Fraction of masked positions whose argmax is the original token. */
  accuracy: number;
  /** exp(mean cross-entropy) over the masked positions. */
  perplexity: number;
  maskedTokens: number;
}

/** The one JSON line the app prints at the end. */
export interface MlmResult {
  task: string;
  steps: number;
  tokensPerSecond: number;
  sequencesPerSecond: number;
  pretrainSeconds: number;
  finalLoss: number;
  heldOutMaskedAccuracy: number;
  heldOutPerplexity: number;
  unigramMaskedAccuracy: number;
  unigramPerplexity: number;
  randomInitMaskedAccuracy: number;
  randomInitPerplexity: number;
  heldOutMaskedTokens: number;
  genreLinearProbeAccuracy: number;
  genreKnnAccuracy: number;
  bagOfWordsLinearProbeAccuracy: number;
  randomInitLinearProbeAccuracy: number;
  majorityGenreAccuracy: number;
  genres: number;
  trainDocuments: number;
  testDocuments: number;
  trainSequences: number;
  vocabSize: number;
  parameters: number;
  wallSeconds: number;
  reportPath: string;
  backend: string;
  /** Present when the run continued (`--resume`) from the checkpoint of this step. */
  resumedFromStep?: number;
}

/**
 * The MLM reference pipeline: Brown corpus → WordPiece tokenizer (trained on the training
 * documents only) → packed sequences → masked-language-model pretraining of a small transformer →
 * held-out masked-token accuracy and perplexity beside the unigram and random-init baselines →
 * genre linear probe and kNN on frozen sentence features beside bag-of-words and random-init.
 *
 * The run directory holds the tokenizer and a checkpoint every `checkpointEvery` steps (the newest
 * two kept); with `resume` the run continues from its newest complete checkpoint with the same
 * tokenizer, settings, schedule, data order, random streams and optimizer state, so it ends on the
 * loss curve an uninterrupted run draws.
 *
 * @throws when `out` already holds a run and `resume` is not set; with `resume`, when there is no
 *   checkpoint, a given flag contradicts the run, the corpus or tokenizer changed, or the newest
 *   checkpoint is damaged (each error names the directory or file); when the loss diverges.
 */
export async function runMlmPipeline(
  requested: MlmOptions,
  log: (line: string) => void = console.log,
): Promise<{ result: MlmResult; evaluation: EvaluationRow[]; backend: BackendInfo }> {
  const started = performance.now();
  const paths = mlmRunPaths(resolve(requested.out));
  const out = paths.dir;
  let resumePoint: ResumePoint | undefined;
  if (requested.resume) {
    resumePoint = await findResumePoint(out, paths.checkpoints);
  } else {
    const existing = await latestCheckpoint(paths.checkpoints);
    if (existing !== undefined) {
      throw new Error(
        `${out} already holds a run (checkpoint ${existing}); continue it with --resume, or choose another --out`,
      );
    }
  }
  const options = resumePoint === undefined ? requested : resumedOptions(requested, resumePoint.record, out);
  if (resumePoint !== undefined) {
    log(
      `resuming ${out} from ${resumePoint.dir} (step ${resumePoint.step} of ${options.steps})` +
        `${resumePoint.step >= options.steps ? ': its training is done, so it is evaluated again' : ''}`,
    );
  }
  const backend = await initBackend({
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.wasmThreads === undefined ? {} : { wasmThreads: options.wasmThreads }),
  });
  const rng = createRng(options.seed);
  const dataDirectory = options.data === undefined ? defaultBrownDirectory() : resolve(options.data);
  const documents = await loadBrownCorpus(dataDirectory);
  const corpus = { documents: documents.length, fingerprint: corpusFingerprint(documents) };
  if (resumePoint !== undefined && corpus.fingerprint !== resumePoint.record.corpus.fingerprint) {
    throw new Error(
      `--resume: the corpus in ${dataDirectory} (${documents.length} documents) is not the text ${out} was trained on ` +
        `(${resumePoint.record.corpus.documents} documents); give --data the run's corpus`,
    );
  }
  const split = splitByGenre(documents, options.testFraction, (indices) => rng.fork('split').shuffle(indices));
  const genres = [...new Set(documents.map((d) => d.genre))].sort();
  log(
    `Brown corpus: ${documents.length} documents in ${genres.length} genres, ${split.train.length} for training and ${split.test.length} held out; backend ${backend.name} (${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
  );

  const tokenizer =
    resumePoint === undefined
      ? await tokenizerFor(options, split.train, log)
      : await runTokenizer(paths, resumePoint.record, options, log);
  const tokenizerRecord: MlmRunRecord['tokenizer'] = {
    file: 'tokenizer.json',
    source:
      resumePoint?.record.tokenizer.source ??
      (options.tokenizer === undefined ? 'trained' : resolve(options.tokenizer)),
    vocabSize: tokenizer.vocabSize,
    fingerprint: resumePoint?.record.tokenizer.fingerprint ?? (await tokenizerFingerprint(tokenizer)),
  };
  if (resumePoint === undefined) {
    // Tokenizer training breaks frequency ties in hash order (huggingface/tokenizers#1794): the
    // run keeps the exact vocabulary its sequences were made with.
    await mkdir(out, { recursive: true });
    await saveTokenizerAtomically(tokenizer, paths.tokenizer);
  }
  const { vocabulary } = tokenizer;
  const pack = async (docs: BrownDocument[]) =>
    Promise.all(
      docs.map(async (d) =>
        packSequences(await tokenizer.tokenIds(d.sentences), { vocabulary, length: options.length }),
      ),
    );
  const trainBlocks = await pack(split.train);
  const testBlocks = await pack(split.test);
  const trainSequences = trainBlocks.flat();
  log(
    `${trainSequences.length} training and ${testBlocks.flat().length} held-out sequences of ${options.length} tokens`,
  );
  const modelOptions = {
    vocabSize: tokenizer.vocabSize,
    maxLength: options.length,
    dim: options.dim,
    depth: options.depth,
    heads: options.heads,
    padTokenId: vocabulary.padId,
    seed: options.seed,
  };
  const model = createTextTransformer(modelOptions);
  const parameters = model.trainableVariables.reduce((total, v) => total + v.size, 0);
  const task = textTasks[options.task]({ vocabulary, maskProbability: options.maskRate });
  const objective = taskObjective(task, model, { seed: options.seed + 1 });
  const data = tokenBatches(trainSequences, {
    batchSize: options.batchSize,
    sampleShape: [options.length],
    seed: options.seed,
    dropRemainder: true,
  });
  const record: MlmRunRecord = {
    app: 'selfsup-mlm',
    settings: runSettingsOf({ ...options, data: options.data === undefined ? undefined : dataDirectory }),
    corpus,
    tokenizer: tokenizerRecord,
    model: model.config,
    trainSequences: trainSequences.length,
  };
  if (resumePoint === undefined) {
    // Left by a run here that stopped before its first checkpoint: this run starts over.
    await rm(paths.metrics, { force: true });
  } else {
    if (resumePoint.record.trainSequences !== trainSequences.length) {
      throw new Error(
        `--resume: ${out} was trained on ${resumePoint.record.trainSequences} sequences, these settings make ${trainSequences.length}`,
      );
    }
    await checkResumePointLoads(resumePoint, objective.modules);
    // The steps the killed run logged after its last checkpoint are trained and logged again.
    await keepMetricsUpTo(paths.metrics, resumePoint.step);
  }
  const callbacks: TrainingCallback[] = [metricsLogCallback(paths.metrics)];
  if (!options.quiet) callbacks.push(progressCallback({ everySteps: Math.max(1, Math.floor(options.steps / 20)) }));
  let randomInit: TextTransformer | undefined;
  try {
    log(
      `pretraining ${options.task}: ${parameters.toLocaleString('en')} parameters, ${options.steps} steps of ${options.batchSize} × ${options.length} tokens` +
        `${resumePoint === undefined ? '' : `, from step ${resumePoint.step}`}; checkpoints every ${options.checkpointEvery} steps in ${paths.checkpoints}`,
    );
    const run = await pretrain({
      objective,
      data,
      epochs: Math.max(1, Math.ceil(options.steps / data.size)),
      maxSteps: options.steps,
      optimizer: { kind: 'adamw', weightDecay: 0.01 },
      schedule: {
        kind: 'warmup-cosine',
        learningRate: options.learningRate,
        warmupSteps: Math.min(options.warmupSteps, options.steps),
        totalSteps: options.steps,
        finalLearningRate: options.learningRate * 0.1,
      },
      gradientClipNorm: 1,
      seed: options.seed,
      checkpoint: { dir: paths.checkpoints, everySteps: options.checkpointEvery, keep: 2 },
      resume: resumePoint !== undefined,
      callbacks,
      metricsEverySteps: 50,
      config: record,
    });
    const sequencesPerSecond = run.imagesPerSecond;
    log(
      `pretrained ${run.steps} steps in ${run.trainingSeconds.toFixed(1)} s: ${(sequencesPerSecond * options.length).toFixed(0)} tokens/s, loss ${run.history[0]?.loss.toFixed(3)} → ${run.history.at(-1)?.loss.toFixed(3)}` +
        `${run.resumedFromStep === undefined ? '' : ` (resumed from step ${run.resumedFromStep})`}`,
    );
    await saveModule(model, paths.encoder);

    // Held-out masked-token prediction, BERT masking with a fixed seed for every model.
    const evalRng = rng.fork('held-out-masking');
    const heldOut = pickSequences(testBlocks.flat(), options.evalSequences, rng.fork('held-out-pick'));
    const maskSeed = evalRng.seed();
    const pretrained = maskedTokenScores(model, heldOut, vocabulary, maskSeed);
    randomInit = createTextTransformer(modelOptions);
    const untrained = maskedTokenScores(randomInit, heldOut, vocabulary, maskSeed);
    const counts = tokenCounts(trainSequences, vocabulary.size);
    const unigram = unigramScores(counts, heldOut, vocabulary, maskSeed);
    log(
      `held-out masked tokens (${pretrained.maskedTokens}): accuracy ${pct(pretrained.accuracy)}, perplexity ${pretrained.perplexity.toFixed(1)}; ` +
        `unigram ${pct(unigram.accuracy)}, ${unigram.perplexity.toFixed(1)}; random init ${pct(untrained.accuracy)}, ${untrained.perplexity.toFixed(1)}`,
    );

    // Genre probe on frozen sentence features: train documents vs held-out documents.
    const probeRng = rng.fork('probe');
    // A probe example is a passage: `probeBlocksPerPassage` consecutive sequences of one document,
    // its feature the mean of theirs (a few sentences say too little about a genre).
    const passageBlocks = options.probeBlocksPerPassage;
    const probeSet = (docs: BrownDocument[], blocks: Int32Array[][]) => {
      const sequences: Int32Array[] = [];
      const labels: number[] = [];
      docs.forEach((d, i) => {
        const documentBlocks = blocks[i] as Int32Array[];
        const starts = Array.from(
          { length: Math.floor(documentBlocks.length / passageBlocks) },
          (_, p) => p * passageBlocks,
        );
        for (const start of probeRng.shuffle(starts).slice(0, options.probePassagesPerDocument)) {
          sequences.push(...documentBlocks.slice(start, start + passageBlocks));
          labels.push(genres.indexOf(d.genre));
        }
      });
      return { sequences, labels };
    };
    const probeTrain = probeSet(split.train, trainBlocks);
    const probeTest = probeSet(split.test, testBlocks);
    const bagOfWordsIds = topTokenIds(counts, vocabulary, 2048);
    const evaluation: EvaluationRow[] = [];
    const rows: Array<[string, (sequences: Int32Array[]) => Tensor2D]> = [
      ['pretrained', (sequences) => passageMeans(sentenceFeatures(model, sequences, options.length), passageBlocks)],
      [
        'random-init',
        (sequences) =>
          passageMeans(sentenceFeatures(randomInit as TextTransformer, sequences, options.length), passageBlocks),
      ],
      ['bag-of-words', (sequences) => bagOfWords(sequences, bagOfWordsIds, vocabulary.size, passageBlocks)],
    ];
    for (const [name, features] of rows) {
      const start = performance.now();
      const trainFeatures = features(probeTrain.sequences);
      const testFeatures = features(probeTest.sequences);
      const trainLabels = tf.tensor1d(probeTrain.labels, 'int32') as Tensor1D;
      const testLabels = tf.tensor1d(probeTest.labels, 'int32') as Tensor1D;
      try {
        const probe = linearProbe({
          trainFeatures,
          trainLabels,
          testFeatures,
          testLabels,
          classes: genres.length,
          epochs: options.probeEpochs,
          seed: options.seed,
        });
        const knn = knnClassifier({
          trainFeatures,
          trainLabels,
          testFeatures,
          testLabels,
          classes: genres.length,
          k: 20,
        });
        evaluation.push({
          features: name,
          dimension: trainFeatures.shape[1],
          linearProbeAccuracy: probe.testAccuracy,
          linearProbeTrainAccuracy: probe.trainAccuracy,
          knnAccuracy: knn,
          seconds: (performance.now() - start) / 1000,
        });
        log(`genre probe, ${name} (${trainFeatures.shape[1]}-d): linear ${pct(probe.testAccuracy)}, kNN ${pct(knn)}`);
      } finally {
        tf.dispose([trainFeatures, testFeatures, trainLabels, testLabels]);
      }
    }
    const majority =
      Math.max(...genres.map((_, g) => probeTest.labels.filter((l) => l === g).length)) / probeTest.labels.length;
    const row = (name: string) => evaluation.find((r) => r.features === name) as EvaluationRow;
    const wallSeconds = (performance.now() - started) / 1000;
    const summary = {
      task: options.task,
      data: `Brown corpus (${documents.length} documents, ${genres.length} genres), ${split.test.length} documents held out`,
      backend: `${backend.name} (${backend.provider}, ${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
      model: `${options.depth} × pre-LN block, dim ${options.dim}, ${options.heads} heads, ${parameters.toLocaleString('en')} parameters, vocabulary ${tokenizer.vocabSize}`,
      'tokens / s (mask + forward + backward + update)': (sequencesPerSecond * options.length).toFixed(0),
      'held-out masked accuracy (model / unigram / random init)': `${pct(pretrained.accuracy)} / ${pct(unigram.accuracy)} / ${pct(untrained.accuracy)}`,
      'held-out perplexity (model / unigram / random init)': `${pretrained.perplexity.toFixed(1)} / ${unigram.perplexity.toFixed(1)} / ${untrained.perplexity.toFixed(1)}`,
      'majority-genre accuracy': pct(majority),
      ...(run.resumedFromStep === undefined ? {} : { 'resumed from step': String(run.resumedFromStep) }),
      'wall seconds': wallSeconds.toFixed(1),
    };
    const reportPath = await writeReport(out, {
      title: `selfsup ${options.task} on the Brown corpus`,
      history: run.history,
      evaluation,
      summary,
      config: { ...options, out, model: model.config },
    });
    return {
      backend,
      evaluation,
      result: {
        task: options.task,
        steps: run.steps,
        tokensPerSecond: sequencesPerSecond * options.length,
        sequencesPerSecond,
        pretrainSeconds: run.trainingSeconds,
        finalLoss: run.history.at(-1)?.loss ?? Number.NaN,
        heldOutMaskedAccuracy: pretrained.accuracy,
        heldOutPerplexity: pretrained.perplexity,
        unigramMaskedAccuracy: unigram.accuracy,
        unigramPerplexity: unigram.perplexity,
        randomInitMaskedAccuracy: untrained.accuracy,
        randomInitPerplexity: untrained.perplexity,
        heldOutMaskedTokens: pretrained.maskedTokens,
        genreLinearProbeAccuracy: row('pretrained').linearProbeAccuracy,
        genreKnnAccuracy: row('pretrained').knnAccuracy,
        bagOfWordsLinearProbeAccuracy: row('bag-of-words').linearProbeAccuracy,
        randomInitLinearProbeAccuracy: row('random-init').linearProbeAccuracy,
        majorityGenreAccuracy: majority,
        genres: genres.length,
        trainDocuments: split.train.length,
        testDocuments: split.test.length,
        trainSequences: trainSequences.length,
        vocabSize: tokenizer.vocabSize,
        parameters,
        wallSeconds,
        reportPath,
        backend: backend.name,
        ...(run.resumedFromStep === undefined ? {} : { resumedFromStep: run.resumedFromStep }),
      },
    };
  } finally {
    objective.dispose();
    model.dispose();
    randomInit?.dispose();
  }
}

/**
 * A resumed run's tokenizer: the run's own tokenizer.json, checked against the fingerprint its
 * checkpoints recorded; a `--tokenizer` given again must be the same tokenizer.
 */
async function runTokenizer(
  paths: MlmRunPaths,
  record: MlmRunRecord,
  options: MlmOptions,
  log: (line: string) => void,
): Promise<TextTokenizer> {
  let tokenizer: TextTokenizer;
  try {
    tokenizer = await loadTokenizer(paths.tokenizer);
  } catch (error) {
    throw new Error(`--resume: cannot load the run's tokenizer: ${(error as Error).message}`);
  }
  if ((await tokenizerFingerprint(tokenizer)) !== record.tokenizer.fingerprint) {
    throw new Error(
      `--resume: ${paths.tokenizer} is not the tokenizer the run was trained with (${record.tokenizer.vocabSize} tokens, ` +
        `sha256 ${record.tokenizer.fingerprint.slice(0, 12)}…; this one has ${tokenizer.vocabSize}); restore the run's tokenizer.json`,
    );
  }
  if (options.tokenizer !== undefined) {
    const given = await loadTokenizer(options.tokenizer);
    if ((await tokenizerFingerprint(given)) !== record.tokenizer.fingerprint) {
      throw new Error(
        `--tokenizer ${options.tokenizer}: not the tokenizer of the run in ${paths.dir} (${given.vocabSize} tokens, ` +
          `the run's has ${record.tokenizer.vocabSize}, another vocabulary or definition); leave --tokenizer out to resume with the run's own`,
      );
    }
  }
  log(`tokenizer ${paths.tokenizer} (the run's): ${tokenizer.modelType}, ${tokenizer.vocabSize} tokens`);
  return tokenizer;
}

async function tokenizerFor(
  options: MlmOptions,
  train: BrownDocument[],
  log: (line: string) => void,
): Promise<TextTokenizer> {
  if (options.tokenizer !== undefined) {
    const tokenizer = await loadTokenizer(options.tokenizer);
    log(`tokenizer ${options.tokenizer}: ${tokenizer.modelType}, ${tokenizer.vocabSize} tokens`);
    return tokenizer;
  }
  const start = performance.now();
  const tokenizer = await trainTokenizer(
    train.flatMap((d) => d.sentences),
    { model: 'wordpiece', vocabSize: options.vocabSize },
  );
  log(
    `WordPiece tokenizer: ${tokenizer.vocabSize} tokens, trained on the training documents in ${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  return tokenizer;
}

function pct(value: number): string {
  return `${(100 * value).toFixed(2)} %`;
}

/** Up to `count` sequences, drawn without replacement in a seeded order. */
function pickSequences(sequences: Int32Array[], count: number, rng: Rng): Int32Array[] {
  if (sequences.length <= count) return sequences;
  return Array.from(rng.permutation(sequences.length).subarray(0, count), (i) => sequences[i] as Int32Array);
}

/** The same BERT masking of the held-out sequences for every model (seeded). */
function heldOutMasking(sequences: Int32Array[], vocabulary: TokenVocabulary, seed: number) {
  const length = sequences[0]?.length ?? 0;
  const ids = new Int32Array(sequences.length * length);
  sequences.forEach((s, i) => {
    ids.set(s, i * length);
  });
  return { ids, length, masked: maskTokens(ids, [sequences.length, length], { vocabulary }, createRng(seed)) };
}

/** Masked-token accuracy and perplexity of a model on held-out sequences, in batches, without gradients. */
export function maskedTokenScores(
  model: TextTransformer,
  sequences: Int32Array[],
  vocabulary: TokenVocabulary,
  seed: number,
  batchSize = 64,
): MaskedTokenScores {
  const { length, masked } = heldOutMasking(sequences, vocabulary, seed);
  let correct = 0;
  let crossEntropy = 0;
  let count = 0;
  for (let start = 0; start < sequences.length; start += batchSize) {
    const rows = Math.min(batchSize, sequences.length - start);
    const from = start * length;
    const positions: number[] = [];
    const labels: number[] = [];
    for (let i = from; i < from + rows * length; i++) {
      if (masked.labels[i] === IGNORE_INDEX) continue;
      positions.push(i - from);
      labels.push(masked.labels[i] as number);
    }
    if (positions.length === 0) continue;
    const [batchCorrect, batchCrossEntropy] = tf.tidy(() => {
      const inputs = tf.tensor2d(masked.inputIds.subarray(from, from + rows * length), [rows, length], 'int32');
      const hidden = model.encodeTokens(inputs, { training: false });
      const picked = tf.gather(tf.reshape(hidden, [rows * length, model.dim]), tf.tensor1d(positions, 'int32'));
      const logits = model.mlmLogits(picked as Tensor2D, { training: false });
      const target = tf.tensor1d(labels, 'int32');
      const logProbabilities = tf.logSoftmax(logits);
      const picks = tf.sum(tf.mul(logProbabilities, tf.oneHot(target, model.vocabSize)), 1);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), target), 'float32'));
      return [hits.dataSync()[0] as number, -(tf.sum(picks).dataSync()[0] as number)];
    });
    correct += batchCorrect;
    crossEntropy += batchCrossEntropy;
    count += positions.length;
  }
  return {
    accuracy: correct / Math.max(count, 1),
    perplexity: Math.exp(crossEntropy / Math.max(count, 1)),
    maskedTokens: count,
  };
}

/**
 * The unigram baseline on the same masked positions: predict every masked token from its
 * training frequency alone (add-one smoothing over the non-special vocabulary); its accuracy is
 * that of always guessing the most frequent token.
 */
export function unigramScores(
  counts: Float64Array,
  sequences: Int32Array[],
  vocabulary: TokenVocabulary,
  seed: number,
): MaskedTokenScores {
  const special = new Set([...vocabulary.specialIds, ...vocabulary.sentinelIds]);
  let total = 0;
  let types = 0;
  let best = -1;
  counts.forEach((count, id) => {
    if (special.has(id)) return;
    total += count;
    types++;
    if (best < 0 || count > (counts[best] as number)) best = id;
  });
  const { masked } = heldOutMasking(sequences, vocabulary, seed);
  let correct = 0;
  let crossEntropy = 0;
  let count = 0;
  masked.labels.forEach((label) => {
    if (label === IGNORE_INDEX) return;
    crossEntropy -= Math.log(((counts[label] as number) + 1) / (total + types));
    if (label === best) correct++;
    count++;
  });
  return {
    accuracy: correct / Math.max(count, 1),
    perplexity: Math.exp(crossEntropy / Math.max(count, 1)),
    maskedTokens: count,
  };
}

/** Mean-pooled sentence features of a model, in evaluation mode, [sequences, dim]. */
function sentenceFeatures(model: TextTransformer, sequences: Int32Array[], length: number, batchSize = 64): Tensor2D {
  const parts: Tensor2D[] = [];
  for (let start = 0; start < sequences.length; start += batchSize) {
    const batch = sequences.slice(start, start + batchSize);
    const ids = new Int32Array(batch.length * length);
    batch.forEach((s, i) => {
      ids.set(s, i * length);
    });
    parts.push(tf.tidy(() => model.apply(tf.tensor2d(ids, [batch.length, length], 'int32'), { training: false })));
  }
  const features = tf.concat(parts) as Tensor2D;
  tf.dispose(parts);
  return features;
}

/** The `count` most frequent non-special token ids of the training text. */
function topTokenIds(counts: Float64Array, vocabulary: TokenVocabulary, count: number): Int32Array {
  const special = new Set([...vocabulary.specialIds, ...vocabulary.sentinelIds]);
  const ids = Array.from(counts.keys()).filter((id) => !special.has(id) && (counts[id] as number) > 0);
  ids.sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  return Int32Array.from(ids.slice(0, count));
}

/** The mean of every `group` consecutive rows: [n·group, d] → [n, d] (disposes its input). */
function passageMeans(features: Tensor2D, group: number): Tensor2D {
  const [rows, dim] = features.shape;
  const means = tf.tidy(() => tf.mean(tf.reshape(features, [rows / group, group, dim]), 1) as Tensor2D);
  features.dispose();
  return means;
}

/** Bag-of-words features: log(1 + count) of each chosen token id in every `group` consecutive sequences. */
function bagOfWords(sequences: Int32Array[], ids: Int32Array, vocabSize: number, group: number): Tensor2D {
  const column = new Int32Array(vocabSize).fill(-1);
  ids.forEach((id, c) => {
    column[id] = c;
  });
  const passages = sequences.length / group;
  const values = new Float32Array(passages * ids.length);
  sequences.forEach((sequence, index) => {
    const row = Math.floor(index / group);
    for (const id of sequence) {
      const c = column[id] as number;
      if (c >= 0) values[row * ids.length + c] = (values[row * ids.length + c] as number) + 1;
    }
  });
  for (let i = 0; i < values.length; i++) values[i] = Math.log1p(values[i] as number);
  return tf.tensor2d(values, [passages, ids.length], 'float32');
}
