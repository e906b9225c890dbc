#!/usr/bin/env -S npx tsx --conditions=@selfsup/source
import { parsePipelineOptions, USAGE } from './pipeline-options.js';
import { runPipeline } from './run-pipeline.js';

// `pnpm start -- --flag` hands the `--` on to the script.
const argv = process.argv.slice(2);
if (argv[0] === '--') argv.shift();
let options: ReturnType<typeof parsePipelineOptions>;
try {
  options = parsePipelineOptions(argv);
} catch (error) {
  console.error(`selfsup-vision-pretext: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
  process.exit(0);
}
try {
  const { result, evaluation } = await runPipeline(options);
  console.log(
    `\n${result.task}${result.pretrainData === 'photos' ? ` (pretrained on photos${result.chromaticDefence === undefined ? '' : `, defence ${result.chromaticDefence}`})` : ''} → Fashion-MNIST\n${'features'.padEnd(14)}${'dim'.padStart(6)}${'linear probe'.padStart(15)}${'kNN (k=200)'.padStart(14)}`,
  );
  for (const row of evaluation) {
    console.log(
      `${row.features.padEnd(14)}${String(row.dimension).padStart(6)}${`${(100 * row.linearProbeAccuracy).toFixed(2)} %`.padStart(15)}${`${(100 * row.knnAccuracy).toFixed(2)} %`.padStart(14)}`,
    );
  }
  if (result.fineTune !== undefined) {
    const { labels, epochs, pretrained, randomInit } = result.fineTune;
    console.log(
      `fine-tuned on ${labels} labels for ${epochs} epochs: pretrained ${(100 * pretrained.testAccuracy).toFixed(2)} %, random-init ${(100 * randomInit.testAccuracy).toFixed(2)} %`,
    );
  }
  console.log(`\nreport: ${result.reportPath}`);
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`selfsup-vision-pretext: ${(error as Error).message}`);
  process.exit(1);
}
