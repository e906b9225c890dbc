// The main job as a newcomer runs it (`pnpm start`: the app's source through tsx), timed from the
// process's start to its exit, beside the first estimate of its time it printed, and the target of
// 5 minutes on an idle 2-core machine. Usage: pnpm bench [-- --runs 2] [-- app flags, e.g. --epochs 8]
// (from apps/simclr).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExperimentResult } from '@selfsup/trainer';

const TARGET_SECONDS = 300;
const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag === -1 ? 1 : Number(process.argv[runsFlag + 1]);
const appFlags = process.argv
  .slice(2)
  .filter((arg, i, all) => arg !== '--' && arg !== '--runs' && all[i - 1] !== '--runs');

/** One run of the main job: its wall time outside, its result line, the estimate it logged. */
async function runMainJob(): Promise<{ seconds: number; result: ExperimentResult; estimateLine: string }> {
  const out = mkdtempSync(join(tmpdir(), 'selfsup-main-job-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      '--conditions=@selfsup/source',
      'src/main.ts',
      '--out',
      out,
      '--quiet',
      ...appFlags,
    ],
    { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // The estimate as it comes, so a slow run shows where it stands.
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (/^(estimated|revised estimate)/.test(line)) console.log(`  ${line}`);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (code !== 0) throw new Error(`the main job exited with ${code}:\n${stderr}`);
  const lines = stdout.trim().split('\n');
  const result = JSON.parse(lines.at(-1) as string) as ExperimentResult;
  const estimateLine = `${stdout}\n${stderr}`.split('\n').find((line) => line.startsWith('estimated time:')) ?? '';
  return { seconds, result, estimateLine };
}

console.log(
  `main job bench${appFlags.length > 0 ? ` (${appFlags.join(' ')})` : ''}: ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} at the start`,
);
for (let run = 1; run <= runs; run++) {
  const { seconds, result, estimateLine } = await runMainJob();
  const estimate = result.estimatedWallSeconds ?? undefined;
  const error = estimate === undefined ? Number.NaN : (estimate - result.wallSeconds) / result.wallSeconds;
  console.log(`run ${run}: ${estimateLine}`);
  console.log(
    `  wall ${seconds.toFixed(1)} s from process start to exit (target ≤ ${TARGET_SECONDS} s: ${seconds <= TARGET_SECONDS ? 'met' : 'MISSED'}); ` +
      `the job's own ${result.wallSeconds.toFixed(1)} s, of which pretraining ${result.pretrainSeconds.toFixed(1)} s at ${result.examplesPerSecond.toFixed(0)} img/s`,
  );
  console.log(
    `  first estimate ${estimate?.toFixed(1) ?? '—'} s vs ${result.wallSeconds.toFixed(1)} s measured: ${(100 * error).toFixed(1)} % (target within ±25 %: ${Math.abs(error) <= 0.25 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `  linear probe ${(100 * (result.linearProbeAccuracy ?? Number.NaN)).toFixed(2)} % (raw pixels ${(100 * (result.rawPixelsLinearProbeAccuracy ?? Number.NaN)).toFixed(2)}, random-init ${(100 * (result.randomInitLinearProbeAccuracy ?? Number.NaN)).toFixed(2)}), ` +
      `kNN ${(100 * (result.knnAccuracy ?? Number.NaN)).toFixed(2)} % (raw pixels ${(100 * (result.rawPixelsKnnAccuracy ?? Number.NaN)).toFixed(2)}, random-init ${(100 * (result.randomInitKnnAccuracy ?? Number.NaN)).toFixed(2)})`,
  );
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} at the end`,
);
