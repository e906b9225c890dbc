import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../command-specs.js';
import { createRegistries, loadBuiltinTaskMaps } from '../registries/registries.js';
import { markdownTables } from '../testing/markdown-tables.js';
import type { TaskOptionDocs } from './describe-options.js';
import { generateReference } from './generate-reference.js';
import { readTaskOptionDocs } from './task-option-docs.js';

const committed = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'docs', 'cli-reference.md');

// The reference lists the task packages' tasks: registries made with their maps.
const builtinTaskMaps = await loadBuiltinTaskMaps();

let taskOptionDocs: TaskOptionDocs;

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
  taskOptionDocs = readTaskOptionDocs(createRegistries(builtinTaskMaps).tasks);
}, 120_000);

describe('docs/cli-reference.md', () => {
  it('is what the code generates (regenerate: npx -y pnpm@10 --filter @selfsup/cli docs:reference)', () => {
    const generated = generateReference(createRegistries(builtinTaskMaps), taskOptionDocs);
    expect(
      readFileSync(committed, 'utf8') === generated,
      'docs/cli-reference.md drifted from the code; regenerate it with `npx -y pnpm@10 --filter @selfsup/cli docs:reference`',
    ).toBe(true);
  });

  it('gives every flag, config field and option a meaning (zod `.describe()`, or the task option’s TSDoc)', () => {
    const reference = generateReference(createRegistries(builtinTaskMaps), taskOptionDocs);
    const lines = reference.split('\n');
    const empty = markdownTables(reference)
      .filter((table) => table.headers.includes('meaning'))
      .flatMap((table) =>
        table.rows.flatMap((row, index) => (row.meaning === '' ? [lines[table.line + 1 + index]] : [])),
      );
    expect(empty, 'rows without a meaning: describe the field where it is declared').toEqual([]);
  });

  it('reads every built-in task option’s type and meaning from its source', () => {
    const registries = createRegistries(builtinTaskMaps);
    expect(Object.keys(taskOptionDocs).sort()).toEqual(registries.tasks.ids());
    expect(taskOptionDocs.rotation?.rotations).toEqual({
      description: 'Rotations to predict: 4 (0°, 90°, 180°, 270°, as RotNet) or 2 (0°, 180°).',
      type: '2 | 4',
    });
    // A field without TSDoc takes its type alias's.
    expect(taskOptionDocs['missing-frame']?.mode?.description).toMatch(/^`choose`: pick the missing frame/);
    expect(taskOptionDocs['missing-frame']?.mode?.type).toBe("'choose' | 'regress'");
  });

  it('documents every command, flag, config section and registered id', () => {
    const registries = createRegistries(builtinTaskMaps);
    const reference = generateReference(registries, taskOptionDocs);
    for (const command of COMMANDS) {
      expect(reference).toContain(`### \`selfsup ${command.name}\``);
      for (const flag of command.flags) expect(reference).toContain(`--${flag.name}`);
    }
    for (const field of [
      'data.path',
      'method.options',
      'schedule.warmupEpochs',
      'checkpoints.keep',
      'evaluation.labels',
    ]) {
      expect(reference).toContain(`\`${field}\``);
    }
    for (const id of [
      ...registries.tasks.ids(),
      ...registries.methods.ids(),
      ...registries.losses.ids(),
      ...registries.augmentations.ids(),
    ]) {
      expect(reference).toContain(`#### \`${id}\``);
    }
    expect(reference).toContain('| 130 | interrupted');
  });
});
