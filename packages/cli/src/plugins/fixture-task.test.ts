import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTaskOptionDocs } from '../../scripts/task-option-docs.js';
import { generateTaskReference } from '../docs/generate-task-reference.js';
import { createRegistries, loadBuiltinTaskMaps } from '../registries/registries.js';
import { mirrorTask } from '../testing/fixture-task-plugin.js';
import { makeImageFolder } from '../testing/make-image-folder.js';
import { runCliProcess } from '../testing/run-cli.js';
import { taskSection, undocumentedTasks } from '../testing/undocumented-tasks.js';
import { loadPlugins } from './load-plugins.js';

// A task added through the public registration path: a plugin file, as a user writes one.
const plugin = join(dirname(fileURLToPath(import.meta.url)), '..', 'testing', 'fixture-task-plugin.ts');
const declared = mirrorTask();
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'selfsup-fixture-task-'));
  await makeImageFolder(join(work, 'images'), { perClass: 4, classes: 2, channels: 1 });
});

describe('a task added by a plugin', () => {
  it('shows up in `selfsup list` and `selfsup list tasks`, as its declaration says', async () => {
    const listed = await runCliProcess(['list', 'tasks', '--plugin', plugin, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const tasks = JSON.parse(listed.stdout).tasks as Array<{ id: string }>;
    expect(tasks.find((task) => task.id === 'fixture-mirror')).toEqual({
      id: 'fixture-mirror',
      description: declared.description,
      notes: 'image; head: linear → 2',
      options: [{ name: 'mirrorProbability', type: 'number', default: 0.5, required: false, description: '' }],
    });
    expect(tasks.map((task) => task.id)).toContain('rotation');
    const text = await runCliProcess(['list', '--plugin', plugin]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\n {2}fixture-mirror +Each image, mirrored .*\n +mirrorProbability: number = 0\.5\n/);
  });

  it('validates its options: a value the task rejects, or an unknown option, is a config error', async () => {
    const bad = await runCliProcess(
      ['pretrain', '--plugin', plugin, '--task', 'fixture-mirror', '--data', './images', '--dry-run'].concat([
        '--set',
        'task.options.mirrorProbability=2',
      ]),
      { cwd: work },
    );
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('task.options: mirrorTask: mirrorProbability must be in [0, 1], got 2');
    const unknown = await runCliProcess(
      ['pretrain', '--plugin', plugin, '--task', 'fixture-mirror', '--data', './images', '--dry-run'].concat([
        '--set',
        'task.options.mirrorProb=0.3',
      ]),
      { cwd: work },
    );
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain(
      "task.options.mirrorProb: unknown option of task 'fixture-mirror'; allowed: mirrorProbability",
    );
  });

  it('trains a step through the CLI, and resumes only with the plugin confirmed', async () => {
    const run = await runCliProcess(
      [
        'pretrain',
        '--plugin',
        plugin,
        '--task',
        'fixture-mirror',
        '--data',
        './images',
        '--size',
        '16',
        '--batch-size',
        '4',
        '--max-steps',
        '1',
        '--set',
        'evaluation.enabled=false',
        '--set',
        'task.options.mirrorProbability=0.25',
        '--out',
        'runs/mirror',
        '--json',
        '--quiet',
      ],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ objective: { kind: 'task', id: 'fixture-mirror' }, steps: 1 });
    const logged = readFileSync(join(work, 'runs', 'mirror', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(logged).toHaveLength(1);
    expect(Number.isFinite(JSON.parse(logged[0] as string).loss)).toBe(true);
    const config = JSON.parse(readFileSync(join(work, 'runs', 'mirror', 'config.json'), 'utf8'));
    expect(config.task).toEqual({ id: 'fixture-mirror', options: { mirrorProbability: 0.25 } });

    // Resuming runs the plugin's code again only when the user confirms it.
    const unconfirmed = await runCliProcess(['resume', 'runs/mirror', '--max-steps', '2', '--quiet'], { cwd: work });
    expect(unconfirmed.code).toBe(5);
    expect(unconfirmed.stderr).toContain(
      `the run was trained with plugin code that resuming would run again: ${plugin}; confirm each with --plugin <path>`,
    );
    const confirmed = await runCliProcess(
      ['resume', 'runs/mirror', '--max-steps', '2', '--plugin', plugin, '--json', '--quiet'],
      { cwd: work },
    );
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ steps: 2, resumedFromStep: 1 });
  }, 180_000);

  it('appears in the generated task reference, its option’s meaning read from the plugin’s file', async () => {
    const registries = createRegistries(await loadBuiltinTaskMaps());
    await loadPlugins([plugin], registries);
    const reference = generateTaskReference(registries, readTaskOptionDocs(registries.tasks, [plugin]));
    expect(undocumentedTasks(reference, registries.tasks)).toEqual([]);
    expect(reference).toContain(
      `| [\`fixture-mirror\`](#fixture-mirror) | image | ${declared.description} | linear → 2 |`,
    );
    expect(taskSection(reference, 'fixture-mirror')).toContain(
      '| `mirrorProbability` | number | `0.5` | Probability that an image is mirrored left to right. |',
    );
  }, 120_000);
});
