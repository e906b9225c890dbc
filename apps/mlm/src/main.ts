#!/usr/bin/env -S npx tsx --conditions=@selfsup/source
import { parseMlmOptions, USAGE } from './mlm-options.js';
import { runMlmPipeline } from './run-mlm-pipeline.js';

// `pnpm start -- --flag` hands the `--` on to the script.
const argv = process.argv.slice(2);
if (argv[0] === '--') argv.shift();
let options: ReturnType<typeof parseMlmOptions>;
try {
  options = parseMlmOptions(argv);
} catch (error) {
  console.error(`selfsup-mlm: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
  process.exit(0);
}
try {
  const { result, evaluation } = await runMlmPipeline(options, (line) => console.error(line));
  console.error(
    `\n${'features'.padEnd(14)}${'dim'.padStart(6)}${'linear probe'.padStart(15)}${'kNN (k=20)'.padStart(13)}`,
  );
  for (const row of evaluation) {
    console.error(
      `${row.features.padEnd(14)}${String(row.dimension).padStart(6)}${`${(100 * row.linearProbeAccuracy).toFixed(2)} %`.padStart(15)}${`${(100 * row.knnAccuracy).toFixed(2)} %`.padStart(13)}`,
    );
  }
  console.error(`\nreport: ${result.reportPath}`);
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`selfsup-mlm: ${(error as Error).message}`);
  process.exit(1);
}
