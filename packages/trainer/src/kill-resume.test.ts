import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latestCheckpoint, loadCheckpoint } from './checkpoint.js';

const script = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'resumable-run.ts');
// Node itself runs the script (tsx as a loader), so SIGKILL reaches the training process — not an
// `npx` wrapper whose child would live on.
const node = [process.execPath, '--import', import.meta.resolve('tsx'), '--conditions=@selfsup/source', script];

/** What the run prints last: its metrics log's losses and the saved encoder's weights digest. */
interface RunOutcome {
  steps: number;
  losses: number[];
  weights: string;
}

function runToEnd(args: string[]): RunOutcome {
  const run = spawnSync(node[0] as string, [...node.slice(1), ...args], { encoding: 'utf8', timeout: 240_000 });
  if (run.status !== 0) throw new Error(`resumable run failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as RunOutcome;
}

const freshDir = (name: string) => join(mkdtempSync(join(tmpdir(), `${name}-`)), 'run');

describe('a run (runExperiment) killed with SIGKILL and resumed', () => {
  it("ends with the same metrics log and a byte-identical encoder as an uninterrupted run; the dead run's lock is taken over", async () => {
    const uninterrupted = runToEnd([freshDir('whole')]);
    expect(uninterrupted.steps).toBe(18);
    expect(uninterrupted.losses).toHaveLength(18);
    const dir = freshDir('kill');
    // Start a run and kill it hard (no chance to clean up) while it is held after its 7th step.
    await new Promise<void>((resolve, reject) => {
      const child = spawn(node[0] as string, [...node.slice(1), dir, '--hold-after-step', '7'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/^step 7 /m.test(output)) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`the run ended before it was killed: ${output}`)),
      );
    });
    // Nothing outlives the kill that could still write a checkpoint: no process names the run's directory.
    const survivors = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((line) => line.includes(dir));
    expect(survivors).toEqual([]);
    const checkpoints = join(dir, 'checkpoints');
    const latest = await latestCheckpoint(checkpoints);
    // The newest checkpoint is the end of epoch 1 (6 steps of 64 images), written before step 7.
    expect(latest).toMatch(/step-000000006$/);
    // The killed process could not remove its lock, nor trim its log (step 7 was logged).
    expect(existsSync(join(dir, 'run.lock'))).toBe(true);
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(7);
    // A new run is refused there; the resume takes the dead run's lock over.
    expect(() => runToEnd([dir])).toThrow(/already holds a run \(checkpoint .*step-000000006\)/);
    const resumed = runToEnd([dir, '--resume']);
    expect(resumed).toEqual(uninterrupted);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
    // The final checkpoint loads.
    const final = await latestCheckpoint(checkpoints);
    const { trainer } = await loadCheckpoint(final as string, {});
    expect(trainer.step).toBe(uninterrupted.steps);
  }, 600_000);
});
