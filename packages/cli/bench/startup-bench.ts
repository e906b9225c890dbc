// Start-up time of the `selfsup` command: how long `--help`, `list` (every section, one that needs
// no tasks, and the tasks) and a config error (one naming no task, one naming a task) take from
// process start to exit, as a user runs the built command (node dist/bin.js). Prints the median
// and range of a few runs each.
// Run: npx -y pnpm@10 --filter @selfsup/cli build && npx -y pnpm@10 --filter @selfsup/cli bench
//      (--runs <n>, default 5; --source times src/bin.ts through tsx instead, as in a clone;
//      --bin <file> times another build's bin.js, e.g. a worktree of an older commit, to compare)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, source: { type: 'boolean' }, bin: { type: 'string' } },
});
const runs = Number(values.runs);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const command = values.source
  ? ['--import', import.meta.resolve('tsx'), '--conditions=@selfsup/source', join(root, 'src', 'bin.ts')]
  : [values.bin ?? join(root, 'dist', 'bin.js')];
if (!values.source && !existsSync(command[0] as string)) {
  console.error(`no ${command[0]}: build first (npx -y pnpm@10 --filter @selfsup/cli build), or pass --source`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'selfsup-startup-bench-'));
writeFileSync(join(work, 'bad.json'), JSON.stringify({ data: 'embedded', training: { epochs: -1 } }));
// A config that names a task: validating it loads the task packages and makes the task.
writeFileSync(
  join(work, 'task.json'),
  JSON.stringify({ data: 'embedded', task: { id: 'jigsaw' }, training: { epochs: -1 } }),
);

const cases: Array<{ name: string; args: string[]; exitCode: number }> = [
  { name: '--help', args: ['--help'], exitCode: 0 },
  { name: 'list', args: ['list'], exitCode: 0 },
  { name: 'list methods', args: ['list', 'methods'], exitCode: 0 },
  { name: 'list tasks', args: ['list', 'tasks'], exitCode: 0 },
  { name: 'pretrain --config bad.json', args: ['pretrain', '--config', 'bad.json'], exitCode: 3 },
  { name: 'pretrain --config task.json', args: ['pretrain', '--config', 'task.json'], exitCode: 3 },
];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

console.log(
  `selfsup start-up (${values.source ? 'src/bin.ts through tsx' : relative(process.cwd(), command[0] as string)}), ${runs} runs each, node ${process.version}`,
);
for (const { name, args, exitCode } of cases) {
  const seconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [...command, ...args], { cwd: work, encoding: 'utf8' });
    seconds.push((performance.now() - started) / 1000);
    if (result.status !== exitCode) {
      console.error(`${name}: exit code ${result.status}, expected ${exitCode}\n${result.stderr}`);
      process.exit(1);
    }
  }
  console.log(
    `  ${name.padEnd(28)} median ${median(seconds).toFixed(2)} s  (${Math.min(...seconds).toFixed(2)}–${Math.max(...seconds).toFixed(2)} s)`,
  );
}
