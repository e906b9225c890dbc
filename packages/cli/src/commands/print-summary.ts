import type { EvaluationRow } from '@selfsup/trainer';
import { floorSeparationWarnings } from '@selfsup/trainer/floor-separation';
import type { Output } from '../output.js';
import type { TrainingSummary } from '../run/run-training.js';

const percent = (value: number) => (100 * value).toFixed(1);

/** The evaluation table: the encoder beside its floors, each accuracy with its 95 % interval on the test examples. */
export function printEvaluation(output: Output, rows: EvaluationRow[]): void {
  if (rows.length === 0) return;
  const seeds = rows[0]?.linearProbeSeedAccuracies.length ?? 1;
  const probe = (row: EvaluationRow) =>
    `${(100 * row.linearProbeAccuracy).toFixed(2)}${seeds > 1 ? ` ± ${(100 * row.linearProbeStd).toFixed(2)}` : ''} % [${percent(row.linearProbeInterval.lower)}–${percent(row.linearProbeInterval.upper)}]`;
  const knn = (row: EvaluationRow) =>
    `${(100 * row.knnAccuracy).toFixed(2)} % [${percent(row.knnInterval.lower)}–${percent(row.knnInterval.upper)}]`;
  const probeWidth = Math.max(24, ...rows.map((row) => probe(row).length + 2));
  output.print(
    `${'features'.padEnd(14)}${'dim'.padStart(6)}${'test'.padStart(7)}${`linear probe${seeds > 1 ? ` (${seeds} seeds)` : ''}`.padStart(probeWidth)}${'kNN'.padStart(24)}`,
  );
  for (const row of rows) {
    output.print(
      `${row.features.padEnd(14)}${String(row.dimension).padStart(6)}${String(row.testCount).padStart(7)}${probe(row).padStart(probeWidth)}${knn(row).padStart(24)}`,
    );
  }
  output.print('[…]: 95 % Wilson interval of each test accuracy');
  for (const warning of floorSeparationWarnings(rows)) output.print(`warning: ${warning}`);
}

/** What a finished, interrupted or dry training run prints for people. */
export function printTrainingSummary(output: Output, summary: TrainingSummary): void {
  const { objective } = summary;
  if (summary.dryRun) {
    output.print(
      `ok: ${objective.kind} '${objective.id}' would train on ${summary.exampleCount} ${summary.examples}, ${summary.stepsPerEpoch} steps per epoch`,
    );
    return;
  }
  if (summary.interrupted) {
    output.print(`interrupted at step ${summary.steps}; checkpoint ${summary.checkpoint ?? '(none)'}`);
    output.print(`continue with: selfsup resume ${summary.out}`);
    return;
  }
  output.print(
    `${objective.kind} ${objective.id}: ${summary.steps} steps, loss ${summary.firstLoss?.toFixed(4)} → ${summary.lastLoss?.toFixed(4)}`,
  );
  if (summary.skippedFiles.length > 0)
    output.print(`skipped ${summary.skippedFiles.length} unreadable file(s) (listed in run.json)`);
  printEvaluation(output, summary.evaluation);
  // The evaluation's own warnings are under its table; the others (a collapse) here.
  const separation = new Set(floorSeparationWarnings(summary.evaluation));
  for (const warning of summary.warnings.filter((text) => !separation.has(text))) output.print(`warning: ${warning}`);
  output.print(`encoder: ${summary.encoderPath}   (await loadEncoder('${summary.encoderPath}'))`);
  if (summary.clipEncoderPath !== null) {
    output.print(`clips:   ${summary.clipEncoderPath}   (the frame encoder over whole frame sequences)`);
  }
  output.print(`report:  ${summary.reportPath}`);
  output.print(`config:  ${summary.configPath}`);
}
