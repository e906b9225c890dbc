import type { EvaluationRow } from '@selfsup/trainer';
import type { Output } from '../output.js';
import type { TrainingSummary } from '../run/run-training.js';

/** The evaluation table: the encoder beside its floors. */
export function printEvaluation(output: Output, rows: EvaluationRow[]): void {
  if (rows.length === 0) return;
  output.print(`${'features'.padEnd(14)}${'dim'.padStart(6)}${'linear probe'.padStart(15)}${'kNN'.padStart(10)}`);
  for (const row of rows) {
    output.print(
      `${row.features.padEnd(14)}${String(row.dimension).padStart(6)}${`${(100 * row.linearProbeAccuracy).toFixed(2)} %`.padStart(15)}${`${(100 * row.knnAccuracy).toFixed(2)} %`.padStart(10)}`,
    );
  }
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
  output.print(`encoder: ${summary.encoderPath}   (await loadEncoder('${summary.encoderPath}'))`);
  if (summary.clipEncoderPath !== null) {
    output.print(`clips:   ${summary.clipEncoderPath}   (the frame encoder over whole frame sequences)`);
  }
  output.print(`report:  ${summary.reportPath}`);
  output.print(`config:  ${summary.configPath}`);
}
