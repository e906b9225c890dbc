import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackendRequest } from '@selfsup/backend/requests';
import type { Encoder } from '@selfsup/models';
import type { TextTokenizer } from '@selfsup/text';
import type { EvaluationRow } from '@selfsup/trainer';
import { runPaths } from '@selfsup/trainer/run-paths';
import { integerFlag, numberFlag, type ParsedArguments, stringFlag } from '../arguments.js';
import { asCliError, CliError } from '../cli-error.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import { createRegistries } from '../registries/registries.js';
import { type FoundModules, findModules } from '../run/find-modules.js';
import { printEvaluation } from './print-summary.js';

/** The parts of a run's config.json the evaluation reads. */
interface RecordedConfig {
  backend?: { kind?: string };
  data?: { kind?: string; sequenceLength?: number; field?: string; documents?: 'blank-line' | 'file' };
}

/** The config.json of the run the modules belong to: the run's, or the one an export put beside the encoder. */
function recordedConfig(found: FoundModules, encoderDir: string): RecordedConfig | undefined {
  const candidates = [
    ...(found.run === undefined ? [] : [runPaths(found.run).config]),
    join(dirname(encoderDir), 'config.json'),
  ];
  const file = candidates.find((path) => existsSync(path));
  if (file === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RecordedConfig;
  } catch {
    return undefined;
  }
}

/** What every evaluation shares. */
interface EvaluationSettings {
  labels: string;
  testLabels: string | undefined;
  testFraction: number;
  probeEpochs: number | undefined;
  knnK: number;
  seed: number;
  /** Linear probes per row (seeds seed, seed + 1, …): their mean ± std. */
  seeds: number;
  floors: boolean;
}

/** The tokenizer of a text encoder: `--tokenizer`, the run's, or the one exported beside it. */
async function tokenizerOf(args: ParsedArguments, found: FoundModules, encoderDir: string): Promise<TextTokenizer> {
  const given = stringFlag(args.values, 'tokenizer');
  const candidates = [
    ...(found.run === undefined ? [] : [runPaths(found.run).tokenizer]),
    join(encoderDir, 'tokenizer.json'),
  ];
  const file = given ?? candidates.find((path) => existsSync(path));
  if (file === undefined) {
    throw new CliError(
      'usage',
      `--tokenizer: ${encoderDir} is a text encoder, and no tokenizer.json was found beside it (looked for ${candidates.join(', ')}); give --tokenizer <file>`,
    );
  }
  try {
    const { loadTokenizer } = await import('@selfsup/text');
    return await loadTokenizer(file);
  } catch (error) {
    throw new CliError(
      given === undefined ? 'run' : 'usage',
      `${given === undefined ? file : '--tokenizer'}: ${(error as Error).message}`,
    );
  }
}

/** Tokens per sequence for a text encoder: `--sequence-length`, the run's, or what the encoder was built for. */
function sequenceLengthOf(args: ParsedArguments, encoder: Encoder, recorded: RecordedConfig | undefined): number {
  const given = integerFlag('sequence-length', stringFlag(args.values, 'sequence-length'));
  if (given !== undefined) return given;
  if (typeof recorded?.data?.sequenceLength === 'number') return recorded.data.sequenceLength;
  const options = encoder.config.options as { maxLength?: number; maxInputLength?: number };
  return options.maxLength ?? (options.maxInputLength === undefined ? 128 : options.maxInputLength - 1);
}

async function evaluateText(
  args: ParsedArguments,
  output: Output,
  found: FoundModules,
  encoderDir: string,
  encoder: Encoder,
  settings: EvaluationSettings,
): Promise<{ rows: EvaluationRow[]; result: Record<string, unknown> }> {
  const [{ readLabeledTextTrainTest, textEncoderProbe }, { majorityAccuracy, probeEncoder }] = await Promise.all([
    import('@selfsup/text'),
    import('@selfsup/trainer'),
  ]);
  const recorded = recordedConfig(found, encoderDir);
  const tokenizer = await tokenizerOf(args, found, encoderDir);
  const sequenceLength = sequenceLengthOf(args, encoder, recorded);
  const sets = await asCliError(
    'data',
    readLabeledTextTrainTest({
      labels: settings.labels,
      testLabels: settings.testLabels,
      testFraction: settings.testFraction,
      seed: settings.seed,
      ...(recorded?.data?.field === undefined ? {} : { textField: recorded.data.field }),
      ...(recorded?.data?.documents === undefined ? {} : { documents: recorded.data.documents }),
    }),
  );
  output.log(
    `text encoder ${encoderDir} (${encoder.config.kind}, ${encoder.featureSize} features), tokenizer of ${tokenizer.vocabSize} tokens, ${sequenceLength}-token sequences`,
  );
  output.log(sets.description);
  let rows: EvaluationRow[];
  try {
    rows = await probeEncoder(
      encoder,
      (randomInit) =>
        textEncoderProbe(encoder, { tokenizer, sequenceLength, ...sets, ...(randomInit && { randomInit }) }),
      {
        classes: sets.classes,
        floors: settings.floors,
        knnK: settings.knnK,
        seed: settings.seed,
        seeds: settings.seeds,
        log: output.log,
        ...(settings.probeEpochs === undefined ? {} : { probeEpochs: settings.probeEpochs }),
      },
    );
  } catch (error) {
    throw new CliError(
      'usage',
      `${encoderDir}: cannot encode ${sequenceLength}-token sequences (${(error as Error).message}); set --sequence-length`,
    );
  }
  const majority = majorityAccuracy(sets.train.labels, sets.test.labels);
  output.log(`majority class: ${(100 * majority).toFixed(2)}% of the test documents`);
  return {
    rows,
    result: {
      modality: 'text',
      classes: sets.classes,
      trainDocuments: sets.train.documents.length,
      testDocuments: sets.test.documents.length,
      majorityAccuracy: majority,
      skippedFiles: [],
    },
  };
}

async function evaluateImages(
  output: Output,
  encoderDir: string,
  encoder: Encoder,
  settings: EvaluationSettings,
  video: boolean,
): Promise<{ rows: EvaluationRow[]; result: Record<string, unknown> }> {
  const [{ readLabeledTrainTest }, { evaluateEncoder }] = await Promise.all([
    import('@selfsup/data'),
    import('@selfsup/trainer'),
  ]);
  const [height, width, channels] = encoder.inputShape as [number, number, 1 | 3];
  const sets = await asCliError('data', readLabeledTrainTest(settings, { size: [height, width], channels }));
  output.log(
    `encoder ${encoderDir} (${encoder.config.kind}, ${encoder.featureSize} features)${video ? ': the per-frame encoder of a video run, probed on labeled images' : ''}`,
  );
  output.log(sets.description);
  for (const file of sets.skipped) output.log(`skipped ${file.path}: ${file.reason}`);
  const rows = await evaluateEncoder(encoder, {
    train: sets.train,
    test: sets.test,
    classes: sets.classes,
    floors: settings.floors,
    knnK: Math.min(settings.knnK, sets.train.count),
    seed: settings.seed,
    seeds: settings.seeds,
    log: output.log,
    ...(settings.probeEpochs === undefined ? {} : { probeEpochs: settings.probeEpochs }),
  });
  return {
    rows,
    result: {
      modality: 'image',
      classes: sets.classes,
      trainImages: sets.train.count,
      testImages: sets.test.count,
      skippedFiles: sets.skipped,
    },
  };
}

/**
 * `selfsup eval`: linear probe and kNN of a trained encoder on labeled data, beside its floors —
 * image encoders (and a video run's frame encoder) on labeled images, text encoders on labeled text.
 */
export async function evalCommand(args: ParsedArguments, output: Output): Promise<number> {
  const checkpoint = stringFlag(args.values, 'checkpoint') ?? args.positionals[0];
  const labels = stringFlag(args.values, 'labels');
  if (checkpoint === undefined) throw new CliError('usage', 'eval needs --checkpoint <run|checkpoint|encoder>');
  if (labels === undefined) {
    throw new CliError(
      'usage',
      'eval needs --labels <path>: labeled images (class folders, CSV, IDX) for image and video runs, labeled text (class folders of text files, or .jsonl with text and label) for text runs',
    );
  }
  const testFraction = numberFlag('test-fraction', stringFlag(args.values, 'test-fraction')) ?? 0.2;
  if (testFraction >= 1)
    throw new CliError('usage', `--test-fraction: expected a number in (0, 1), got ${testFraction}`);
  const floors = args.values['no-floors'] !== true;
  if (args.values['check-floors'] === true && !floors)
    throw new CliError('usage', '--check-floors needs the floors (drop --no-floors)');
  const settings: EvaluationSettings = {
    labels,
    testLabels: stringFlag(args.values, 'test-labels'),
    testFraction,
    probeEpochs: integerFlag('probe-epochs', stringFlag(args.values, 'probe-epochs')),
    knnK: integerFlag('knn-k', stringFlag(args.values, 'knn-k')) ?? 200,
    seed: integerFlag('seed', stringFlag(args.values, 'seed'), Number.MIN_SAFE_INTEGER) ?? 0,
    seeds: integerFlag('seeds', stringFlag(args.values, 'seeds')) ?? 1,
    floors,
  };

  const found = await findModules(checkpoint);
  const encoderDir = found.modules.encoder;
  if (encoderDir === undefined) throw new CliError('run', `${checkpoint}: the checkpoint has no encoder module`);
  const recorded = recordedConfig(found, encoderDir);
  const backendKind = stringFlag(args.values, 'backend') ?? recorded?.backend?.kind;
  // Evaluating computes: tfjs loads from here on.
  const [{ initBackend }, { loadEncoder }] = await Promise.all([import('@selfsup/backend'), import('@selfsup/models')]);
  try {
    await initBackend({
      ...(backendKind === undefined ? {} : { backend: backendKind as BackendRequest }),
      log: output.log,
    });
  } catch (error) {
    throw new CliError('usage', `--backend: ${(error as Error).message}`);
  }
  let encoder: Encoder;
  try {
    encoder = await loadEncoder(encoderDir);
  } catch (error) {
    throw new CliError('run', `${encoderDir}: ${(error as Error).message}`);
  }
  try {
    const models = createRegistries().models;
    const kind = encoder.config.kind;
    const text = models.has(kind) && models.get(kind).modality === 'text';
    if (!text && encoder.inputShape.length !== 3) {
      throw new CliError(
        'usage',
        `${encoderDir}: a ${kind} encoder of [${encoder.inputShape.join(', ')}] inputs; eval probes image encoders (a video run's per-frame encoder is its encoder/, probed on labeled images) and text encoders (on labeled text)`,
      );
    }
    const { rows, result } = text
      ? await evaluateText(args, output, found, encoderDir, encoder, settings)
      : await evaluateImages(output, encoderDir, encoder, settings, recorded?.data?.kind === 'video-folder');
    const pretrained = rows.find((r) => r.features === 'pretrained');
    const floorRows = rows.filter((r) => r.features !== 'pretrained');
    const beatsFloors =
      pretrained !== undefined && floorRows.every((r) => pretrained.linearProbeAccuracy > r.linearProbeAccuracy);
    output.result({
      encoder: encoderDir,
      checkpoint: found.checkpoint ?? null,
      labels,
      ...result,
      evaluation: rows,
      linearProbeAccuracy: pretrained?.linearProbeAccuracy ?? null,
      knnAccuracy: pretrained?.knnAccuracy ?? null,
      beatsFloors: floors ? beatsFloors : null,
    });
    printEvaluation(output, rows);
    if (floors) output.print(beatsFloors ? 'the encoder beats both floors' : 'the encoder does NOT beat its floors');
    return args.values['check-floors'] === true && !beatsFloors ? EXIT_CODES.belowFloors : EXIT_CODES.ok;
  } finally {
    encoder.dispose();
  }
}
