// Fault injection against the real `selfsup` command (spawned processes on the embedded
// Fashion-MNIST subset, a tiny SimCLR run): kill -9 at chosen moments then resume; flipped,
// truncated and NaN-injected checkpoint weights; a diverging learning rate; two runs on one
// directory; a non-run directory; plugins from a shared config. Prints one table: the case, what
// a trustworthy tool must do, what happened (exit code and message; skipped; recovered) and
// whether anything was lost (against an uninterrupted run of the same config: the final encoder's
// bytes and one metrics row per step).
// Run: npx -y pnpm@10 --filter @selfsup/cli fault-injection   (≈ 10 minutes on a loaded machine;
//      --keep keeps the folders, --only <text> runs the cases whose name contains it)
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CliRun, finished, runCliProcess, startCli } from '../src/testing/run-cli.js';

const { values } = parseArgs({ options: { keep: { type: 'boolean' }, only: { type: 'string' } } });
/** `--only <text>`: the cases whose name contains it. */
const selected = (name: string) => values.only === undefined || name.includes(values.only);
const work = mkdtempSync(join(tmpdir(), 'selfsup-fault-injection-'));
const STEPS = 20;
/** A tiny SimCLR run: 16 images a step, a two-block CNN, a checkpoint every 5 steps (the newest 3 kept). */
const RUN = [
  '--data',
  'embedded',
  '--method',
  'simclr',
  '--batch-size',
  '16',
  '--set',
  'model.options.widths=[4,8]',
  '--set',
  'model.options.strides=[2,2]',
  '--set',
  'evaluation.enabled=false',
  '--set',
  'checkpoints.everySteps=5',
  '--set',
  'checkpoints.keep=3',
  '--seed',
  '7',
  '--quiet',
];
const pretrainArgs = (out: string, steps = STEPS, extra: string[] = []) => [
  'pretrain',
  ...RUN,
  '--max-steps',
  String(steps),
  '--out',
  out,
  ...extra,
];
const resumeArgs = (out: string, steps = STEPS) => ['resume', out, '--max-steps', String(steps), '--quiet'];
const cli = (args: string[]) => runCliProcess(args, { cwd: work });

interface Row {
  name: string;
  expected: string;
  outcome: string;
  lost: string;
}
const rows: Row[] = [];

/** The first line of stderr that says what went wrong (the `selfsup <command>:` line), shortened. */
function message(run: CliRun): string {
  const line =
    run.stderr.split('\n').find((l) => l.startsWith('selfsup ') || /cannot|refus|not |diverg|corrupt|lock/.test(l)) ??
    '';
  return line.length > 240 ? `${line.slice(0, 237)}…` : line;
}
const exit = (run: CliRun) => (run.signal === null ? `exit ${run.code}` : `killed (${run.signal})`);
const steps = (dir: string) => readdirSync(join(dir, 'checkpoints')).filter((name) => name.startsWith('step-'));
const checkpoint = (dir: string, step: number) => join(dir, 'checkpoints', `step-${String(step).padStart(9, '0')}`);

/** The steps of `<run>/metrics.jsonl`, in order. */
function loggedSteps(dir: string): number[] {
  const file = join(dir, 'metrics.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { step: number }).step);
}

let referenceEncoder: Buffer | undefined;
/** Runs the same config once, never interrupted (the first time a case needs it). */
async function ensureReference(): Promise<void> {
  if (referenceEncoder !== undefined) return;
  const reference = join(work, 'reference');
  const run = await cli(pretrainArgs(reference));
  if (run.code !== 0) throw new Error(`the reference run failed: ${run.stderr}`);
  referenceEncoder = readFileSync(join(reference, 'encoder', 'weights.bin'));
}
/** What differs from the uninterrupted run: the encoder's bytes, the metrics rows. */
function lossAgainstReference(dir: string): string {
  const problems: string[] = [];
  const encoder = join(dir, 'encoder', 'weights.bin');
  if (!existsSync(encoder)) problems.push('no encoder');
  else if (referenceEncoder === undefined || !readFileSync(encoder).equals(referenceEncoder))
    problems.push('encoder differs from the uninterrupted run');
  const logged = loggedSteps(dir);
  const expected = Array.from({ length: STEPS }, (_, i) => i + 1);
  if (JSON.stringify(logged) !== JSON.stringify(expected)) {
    problems.push(`metrics rows ${logged.length} for ${STEPS} steps (${new Set(logged).size} distinct)`);
  }
  return problems.length === 0 ? 'nothing (encoder byte-identical, one metrics row per step)' : problems.join('; ');
}

/** Polls (every 2 ms) until `ready()` or the process ends; kill -9 at that moment. Returns whether it was killed. */
async function killWhen(child: ChildProcess, ready: () => boolean): Promise<{ killed: boolean; run: CliRun }> {
  const done = finished(child);
  let ended = false;
  void done.then(() => {
    ended = true;
  });
  while (!ended) {
    let now = false;
    try {
      now = ready();
    } catch {
      // a file read mid-write: try again
    }
    if (now) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const run = await done;
  return { killed: run.signal === 'SIGKILL', run };
}

async function killAndResume(name: string, moment: string, ready: (dir: string) => boolean): Promise<void> {
  if (!selected(name)) return;
  await ensureReference();
  const dir = join(work, name.replace(/\W+/g, '-'));
  const { killed, run } = await killWhen(startCli(pretrainArgs(dir), { cwd: work }), () => ready(dir));
  if (!killed) {
    rows.push({ name, expected: 'resume continues', outcome: `not killed in time (${exit(run)})`, lost: '—' });
    return;
  }
  const atKill = loggedSteps(dir).length;
  const resumed = await cli(resumeArgs(dir));
  let outcome = `${exit(resumed)}; `;
  let again: CliRun | undefined;
  if (resumed.code !== 0) {
    // As the message asks: start the run again.
    again = await cli(pretrainArgs(dir));
    outcome += `${message(resumed)} → pretrain again: ${exit(again)}`;
  } else {
    outcome += `recovered (killed ${moment}, ${atKill} steps logged)`;
  }
  rows.push({
    name,
    expected: 'resume (or a clear word to restart) ends as if never killed',
    outcome,
    lost: lossAgainstReference(dir),
  });
}

/** A finished 15-step run whose checkpoints are damaged by `damage`, then resumed to 20 steps. */
async function damagedCheckpoint(name: string, expected: string, damage: (dir: string) => string): Promise<void> {
  if (!selected(name)) return;
  await ensureReference();
  const dir = join(work, name.replace(/\W+/g, '-'));
  const first = await cli(pretrainArgs(dir, 15));
  if (first.code !== 0) throw new Error(`${name}: the first run failed: ${first.stderr}`);
  const what = damage(dir);
  const resumed = await cli(resumeArgs(dir));
  // What the resume recorded: the checkpoint it fell back to and why it passed the newer ones.
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
    details?: {
      checkpointFallbacks?: Array<{ resumedFrom: string; rejected: Array<{ checkpoint: string; problem: string }> }>;
    };
  };
  const fallback = record.details?.checkpointFallbacks?.at(-1);
  const base = (path: string) => path.split('/').at(-1);
  rows.push({
    name,
    expected,
    outcome:
      resumed.code === 0
        ? `recovered: exit 0 (${what})` +
          (fallback === undefined
            ? '; no fallback recorded'
            : `; resumed from ${base(fallback.resumedFrom)}, ${fallback.rejected
                .map((r) => `${base(r.checkpoint)} set aside: ${r.problem.slice(0, 70)}…`)
                .join('; ')}`)
        : `${exit(resumed)}: ${message(resumed)}`,
    lost:
      resumed.code === 0
        ? lossAgainstReference(dir)
        : `the run cannot continue (${steps(dir).length} checkpoint(s) left, untouched)`,
  });
}

function flipBytes(file: string, count: number): string {
  const bytes = readFileSync(file);
  const n = Math.min(count, bytes.length);
  for (let i = 0; i < n; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
  writeFileSync(file, bytes);
  return `${n} B flipped`;
}

/** Writes NaN into the first weights of a checkpoint's encoder and makes its manifest agree (so only the NaN check can tell). */
function injectNaN(dir: string): string {
  const file = join(dir, 'modules', 'encoder', 'weights.bin');
  const bytes = readFileSync(file);
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, 4);
  floats.fill(Number.NaN);
  writeFileSync(file, bytes);
  const manifestFile = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    files: Record<string, { bytes: number; sha256: string }>;
  };
  manifest.files['modules/encoder/weights.bin'] = {
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 1)}\n`);
  return '4 NaN weights, checksum updated to match';
}

const started = performance.now();
console.log(`fault injection in ${work} (each case spawns the CLI; a few minutes)`);

await killAndResume('kill -9 before the first checkpoint', 'after step 2', (dir) => loggedSteps(dir).length >= 2);
await killAndResume(
  'kill -9 between checkpoints',
  'after step 7',
  (dir) => existsSync(checkpoint(dir, 5)) && loggedSteps(dir).length >= 7,
);
await killAndResume('kill -9 mid-checkpoint write', 'with a staging folder present', (dir) =>
  readdirSync(join(dir, 'checkpoints')).some((entry) => /^\.step-\d+\.tmp-/.test(entry) && loggedSteps(dir).length > 5),
);
await killAndResume('kill -9 during the final encoder write', 'once encoder/ appeared', (dir) =>
  existsSync(join(dir, 'encoder')),
);

await damagedCheckpoint(
  'flipped bytes in the newest checkpoint weights',
  'named corrupt, falls back to the previous checkpoint',
  (dir) => flipBytes(join(checkpoint(dir, 15), 'modules', 'encoder', 'weights.bin'), 4096),
);
await damagedCheckpoint('truncated newest checkpoint weights', 'named corrupt, falls back', (dir) => {
  truncateSync(join(checkpoint(dir, 15), 'modules', 'encoder', 'weights.bin'), 100);
  return 'truncated to 100 B';
});
await damagedCheckpoint('NaN injected into the newest weights (checksum matching)', 'corruption, falls back', (dir) =>
  injectNaN(checkpoint(dir, 15)),
);
await damagedCheckpoint('every checkpoint corrupt', 'exit 6 naming each checkpoint tried', (dir) =>
  steps(dir)
    .map((name) => flipBytes(join(dir, 'checkpoints', name, 'modules', 'encoder', 'weights.bin'), 64))
    .join(', '),
);

/** Non-finite values among a run's saved encoder weights (float32). */
function nonFiniteEncoderWeights(dir: string): number {
  const bytes = readFileSync(join(dir, 'encoder', 'weights.bin'));
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
  return floats.filter((value) => !Number.isFinite(value)).length;
}

for (const [name, extra, expected] of [
  [
    'learningRate 1e9 (default warm-up schedule, Adam)',
    ['--lr', '1e9'],
    'a collapse is flagged (warning in the result and report); no non-finite weight saved',
  ],
  [
    // 1e9 with plain SGD collapses the network (dead units, zero gradients) before any weight overflows.
    'learningRate 1e30 (constant, SGD)',
    ['--optimizer', 'sgd', '--set', 'schedule.kind=constant', '--set', 'schedule.learningRate=1e30'],
    'stops before saving, naming the step and variable; exit 1',
  ],
] as const) {
  if (!selected(name)) continue;
  const dir = join(work, name.replace(/\W+/g, '-'));
  const run = await cli(pretrainArgs(dir, STEPS, [...extra]));
  const result = existsSync(join(dir, 'result.json'))
    ? (JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { warnings: string[] })
    : undefined;
  rows.push({
    name,
    expected,
    outcome:
      run.code === 0
        ? `exit 0; warnings: ${result?.warnings.map((w) => w.slice(0, 90)).join(' / ') || 'none'}`
        : `${exit(run)}: ${message(run)}`,
    lost: existsSync(join(dir, 'encoder'))
      ? `encoder written, ${nonFiniteEncoderWeights(dir)} non-finite weights`
      : `nothing diverged saved (no encoder; ${existsSync(join(dir, 'checkpoints')) ? steps(dir).length : 0} checkpoints, from before the divergence)`,
  });
}

if (selected('two runs on one directory')) {
  const dir = join(work, 'concurrent');
  // Long enough that the second starts while the first trains.
  const first = startCli(pretrainArgs(dir, 300), { cwd: work });
  let firstEnded = false;
  const firstDone = finished(first).finally(() => {
    firstEnded = true;
  });
  while (!firstEnded && !existsSync(join(dir, 'run.lock'))) await new Promise((resolve) => setTimeout(resolve, 20));
  const second = await cli(pretrainArgs(dir, STEPS, ['--seed', '8']));
  // What the refusal suggests, while the first still trains: the lock answers.
  const resumed = firstEnded ? undefined : await cli(resumeArgs(dir, 300));
  const firstRun = await firstDone;
  rows.push({
    name: 'two runs on one directory',
    expected: 'the second refused (holder pid and host), the first unharmed',
    outcome:
      `second pretrain: ${exit(second)}: ${message(second)}; ` +
      (resumed === undefined
        ? 'resume meanwhile: not tried (the first had ended)'
        : `resume meanwhile: ${exit(resumed)}: ${message(resumed)}`) +
      `; first: ${exit(firstRun)}`,
    lost: (() => {
      const logged = loggedSteps(dir);
      const seed = (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { seed: number }).seed;
      return logged.length === 300 && new Set(logged).size === 300 && seed === 7
        ? "nothing (the first run's 300 metrics rows, one per step, its config's seed 7)"
        : `metrics rows ${logged.length} (${new Set(logged).size} distinct), config seed ${seed}`;
    })(),
  });
}

if (selected('a non-run, non-empty directory as --out')) {
  const dir = join(work, 'not-a-run');
  mkdirSync(dir);
  writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
  const run = await cli(pretrainArgs(dir));
  const left = readdirSync(dir).sort();
  rows.push({
    name: 'a non-run, non-empty directory as --out',
    expected: 'refused with a clear error; nothing written',
    outcome: `${exit(run)}: ${message(run)}`,
    lost:
      left.join(',') === 'notes.txt' && readFileSync(join(dir, 'notes.txt'), 'utf8') === 'my notes\n'
        ? 'nothing (the folder holds only notes.txt, unchanged)'
        : `the folder now holds ${left.join(', ')}`,
  });
}

if (selected('a plugin from a shared config (--dry-run)')) {
  const plugin = join(work, 'marker-plugin.mjs');
  const marker = join(work, 'plugin-ran.marker');
  writeFileSync(
    plugin,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default { name: 'marker', register() {} };\n`,
  );
  writeFileSync(join(work, 'shared.json'), JSON.stringify({ plugins: ['./marker-plugin.mjs'] }));
  const run = await cli([
    'pretrain',
    '--config',
    'shared.json',
    ...pretrainArgs(join(work, 'shared')).slice(1),
    '--dry-run',
  ]);
  rows.push({
    name: 'a plugin from a shared config (--dry-run)',
    expected: 'not imported unless named (--plugin) or trusted; exit 5',
    outcome: `${exit(run)}: ${message(run)}`,
    lost: existsSync(marker) ? 'the plugin ran' : 'nothing (the plugin never ran)',
  });
  rmSync(marker, { force: true });
}

const cell = (text: string) => text.replaceAll('|', '\\|');
console.log('\n| case | expected | outcome | lost |\n| --- | --- | --- | --- |');
for (const row of rows) {
  console.log(`| ${[row.name, row.expected, row.outcome, row.lost].map(cell).join(' | ')} |`);
}
console.log(`\n${rows.length} cases in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
if (!values.keep) rmSync(work, { recursive: true, force: true });
