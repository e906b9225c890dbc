#!/usr/bin/env -S npx tsx --conditions=@selfsup/source
import { parseRunOptions, USAGE } from './run-options.js';
import { runVideoOrder } from './run-video-order.js';

// `pnpm start -- --flag` hands the `--` on to the script.
const argv = process.argv.slice(2);
if (argv[0] === '--') argv.shift();
let options: ReturnType<typeof parseRunOptions>;
try {
  options = parseRunOptions(argv);
} catch (error) {
  console.error(`selfsup-video-order: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
  process.exit(0);
}
try {
  const { result, evaluation } = await runVideoOrder(options);
  console.log(
    `\n${'order accuracy'.padEnd(22)}${`${(100 * result.orderAccuracy).toFixed(1)} % held-out`.padStart(18)}${`chance ${(100 * result.orderChance).toFixed(1)} %`.padStart(16)}`,
  );
  console.log(
    `\n${'frame features'.padEnd(14)}${'dim'.padStart(6)}${'linear probe'.padStart(15)}${'kNN (k=20)'.padStart(14)}`,
  );
  for (const row of evaluation) {
    console.log(
      `${row.features.padEnd(14)}${String(row.dimension).padStart(6)}${`${(100 * row.linearProbeAccuracy).toFixed(2)} %`.padStart(15)}${`${(100 * row.knnAccuracy).toFixed(2)} %`.padStart(14)}`,
    );
  }
  console.log(`\nreport: ${result.reportPath}`);
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`selfsup-video-order: ${(error as Error).message}`);
  process.exit(1);
}
