import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../command-specs.js';
import { createRegistries, loadBuiltinTaskMaps } from '../registries/registries.js';
import { markdownTables } from '../testing/markdown-tables.js';
import { generateReference } from './generate-reference.js';

const committed = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'docs', 'cli-reference.md');

// Registries with the task packages' maps: the reference must not depend on which tasks there are.
const builtinTaskMaps = await loadBuiltinTaskMaps();

describe('docs/cli-reference.md', () => {
  it('is what the code generates (regenerate: npx -y pnpm@10 --filter @selfsup/cli docs:reference)', () => {
    const generated = generateReference(createRegistries(builtinTaskMaps));
    expect(
      readFileSync(committed, 'utf8') === generated,
      'docs/cli-reference.md drifted from the code; regenerate it with `npx -y pnpm@10 --filter @selfsup/cli docs:reference`',
    ).toBe(true);
  });

  it('gives every flag, config field and option a meaning (zod `.describe()`)', () => {
    const reference = generateReference(createRegistries(builtinTaskMaps));
    const lines = reference.split('\n');
    const empty = markdownTables(reference)
      .filter((table) => table.headers.includes('meaning'))
      .flatMap((table) =>
        table.rows.flatMap((row, index) => (row.meaning === '' ? [lines[table.line + 1 + index]] : [])),
      );
    expect(empty, 'rows without a meaning: describe the field where it is declared').toEqual([]);
  });

  it('documents every command, flag, config section and registered id but the tasks', () => {
    const registries = createRegistries(builtinTaskMaps);
    const reference = generateReference(registries);
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
    for (const id of [...registries.methods.ids(), ...registries.losses.ids(), ...registries.augmentations.ids()]) {
      expect(reference).toContain(`#### \`${id}\``);
    }
    expect(reference).toContain('| 130 | interrupted');
  });

  it('lists no task one by one, so a new task changes no committed doc: it points to the generated task reference', () => {
    const withTasks = generateReference(createRegistries(builtinTaskMaps));
    expect(generateReference(createRegistries([]))).toBe(withTasks);
    expect(withTasks).toContain('`npx selfsup list tasks`');
    expect(withTasks).toContain('`dist/tasks.md` of `@selfsup/cli`');
  });
});
