import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../command-specs.js';
import { createRegistries, loadBuiltinTaskMaps } from '../registries/registries.js';
import { generateReference } from './generate-reference.js';

const committed = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'docs', 'cli-reference.md');

// The reference lists the task packages' tasks: registries made with their maps.
const builtinTaskMaps = await loadBuiltinTaskMaps();

describe('docs/cli-reference.md', () => {
  it('is what the code generates (regenerate: npx -y pnpm@10 --filter @selfsup/cli docs:reference)', async () => {
    await initBackend({ backend: 'cpu', log: false });
    const generated = generateReference(createRegistries(builtinTaskMaps));
    expect(
      readFileSync(committed, 'utf8') === generated,
      'docs/cli-reference.md drifted from the code; regenerate it with `npx -y pnpm@10 --filter @selfsup/cli docs:reference`',
    ).toBe(true);
  });

  it('documents every command, flag, config section and registered id', async () => {
    await initBackend({ backend: 'cpu', log: false });
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
