import { existsSync, readFileSync } from 'node:fs';
import { type BackendRequest, initBackend } from '@selfsup/backend';
import { loadEncoder } from '@selfsup/models';
import { evaluateEncoder } from '@selfsup/trainer';
import { integerFlag, numberFlag, type ParsedArguments, stringFlag } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import { evaluationSets } from '../run/evaluation-sets.js';
import { findModules } from '../run/find-modules.js';
import { runPaths } from '../run/run-paths.js';
import { printEvaluation } from './print-summary.js';

/** `selfsup eval`: linear probe and kNN of a trained encoder on labeled images, beside its floors. */
export async function evalCommand(args: ParsedArguments, output: Output): Promise<number> {
  const checkpoint = stringFlag(args.values, 'checkpoint') ?? args.positionals[0];
  const labels = stringFlag(args.values, 'labels');
  if (checkpoint === undefined) throw new CliError('usage', 'eval needs --checkpoint <run|checkpoint|encoder>');
  if (labels === undefined) throw new CliError('usage', 'eval needs --labels <folder|csv|idx-dir> (labeled images)');
  const testFraction = numberFlag('test-fraction', stringFlag(args.values, 'test-fraction')) ?? 0.2;
  if (testFraction >= 1)
    throw new CliError('usage', `--test-fraction: expected a number in (0, 1), got ${testFraction}`);
  const probeEpochs = integerFlag('probe-epochs', stringFlag(args.values, 'probe-epochs'));
  const knnK = integerFlag('knn-k', stringFlag(args.values, 'knn-k')) ?? 200;
  const seed = integerFlag('seed', stringFlag(args.values, 'seed'), Number.MIN_SAFE_INTEGER) ?? 0;
  const floors = args.values['no-floors'] !== true;
  if (args.values['check-floors'] === true && !floors)
    throw new CliError('usage', '--check-floors needs the floors (drop --no-floors)');

  const found = await findModules(checkpoint);
  const encoderDir = found.modules.encoder;
  if (encoderDir === undefined) throw new CliError('run', `${checkpoint}: the checkpoint has no encoder module`);
  let backendKind = stringFlag(args.values, 'backend');
  if (backendKind === undefined && found.run !== undefined && existsSync(runPaths(found.run).config)) {
    backendKind = (JSON.parse(readFileSync(runPaths(found.run).config, 'utf8')) as { backend?: { kind?: string } })
      .backend?.kind;
  }
  try {
    await initBackend({
      ...(backendKind === undefined ? {} : { backend: backendKind as BackendRequest }),
      log: output.log,
    });
  } catch (error) {
    throw new CliError('usage', `--backend: ${(error as Error).message}`);
  }
  let encoder: Awaited<ReturnType<typeof loadEncoder>>;
  try {
    encoder = await loadEncoder(encoderDir);
  } catch (error) {
    throw new CliError('run', `${encoderDir}: ${(error as Error).message}`);
  }
  try {
    const testLabels = stringFlag(args.values, 'test-labels');
    const sets = await evaluationSets({ labels, testLabels, testFraction, seed }, encoder.inputShape);
    output.log(`encoder ${encoderDir} (${encoder.config.kind}, ${encoder.featureSize} features)`);
    output.log(sets.description);
    for (const file of sets.skipped) output.log(`skipped ${file.path}: ${file.reason}`);
    const rows = evaluateEncoder(encoder, {
      train: sets.train,
      test: sets.test,
      classes: sets.classes,
      floors,
      knnK: Math.min(knnK, sets.train.count),
      seed,
      log: output.log,
      ...(probeEpochs === undefined ? {} : { probeEpochs }),
    });
    const pretrained = rows.find((r) => r.features === 'pretrained');
    const floorRows = rows.filter((r) => r.features !== 'pretrained');
    const beatsFloors =
      pretrained !== undefined && floorRows.every((r) => pretrained.linearProbeAccuracy > r.linearProbeAccuracy);
    const result = {
      encoder: encoderDir,
      checkpoint: found.checkpoint ?? null,
      labels,
      classes: sets.classes,
      trainImages: sets.train.count,
      testImages: sets.test.count,
      skippedFiles: sets.skipped,
      evaluation: rows,
      linearProbeAccuracy: pretrained?.linearProbeAccuracy ?? null,
      knnAccuracy: pretrained?.knnAccuracy ?? null,
      beatsFloors: floors ? beatsFloors : null,
    };
    output.result(result);
    printEvaluation(output, rows);
    if (floors) output.print(beatsFloors ? 'the encoder beats both floors' : 'the encoder does NOT beat its floors');
    return args.values['check-floors'] === true && !beatsFloors ? EXIT_CODES.belowFloors : EXIT_CODES.ok;
  } finally {
    encoder.dispose();
  }
}
