import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { createTaskRegistry } from '@selfsup/pretext';
import { beforeAll, describe, expect, it } from 'vitest';
import * as visionPackage from './index.js';
import { visionTasks } from './vision-tasks.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('visionTasks', () => {
  it('has a line for every task folder (src/<id>/<id>-task.ts), its factory exported from the package', () => {
    const folders = readdirSync(import.meta.dirname, { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && existsSync(join(import.meta.dirname, entry.name, `${entry.name}-task.ts`)),
      )
      .map((entry) => entry.name);
    expect(Object.keys(visionTasks).sort()).toEqual(folders.sort());
    for (const factory of Object.values(visionTasks)) {
      expect((visionPackage as Record<string, unknown>)[factory.name], factory.name).toBe(factory);
    }
  });

  it('maps each id to a factory of that task, with every option resolved and serializable', () => {
    const registry = createTaskRegistry(visionTasks);
    const ids = Object.keys(visionTasks).sort();
    expect(registry.ids()).toEqual(ids);
    for (const id of registry.ids()) {
      const task = registry.create(id, id === 'jigsaw' ? { permutations: 10 } : {});
      expect(task.id).toBe(id);
      expect(task.modality).toBe('image');
      const options = task.options as Record<string, unknown>;
      expect(JSON.parse(JSON.stringify(options))).toEqual(
        Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
      );
    }
    expect(() => registry.create('jigsw')).toThrow(`'jigsw' is not a task; known: ${ids.join(', ')}`);
  });
});
