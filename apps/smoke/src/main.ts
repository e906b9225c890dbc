import { smokeRun } from './smoke-run.js';

const result = await smokeRun({ steps: 30, batchSize: 128, seed: 0, log: console.log });
console.log(
  `loss ${result.firstLoss.toFixed(4)} → ${result.lastLoss.toFixed(4)} in ${result.wallSeconds.toFixed(1)} s on ${result.backend}`,
);
console.log(JSON.stringify(result));
if (!(result.lastLoss < result.firstLoss)) process.exitCode = 1;
