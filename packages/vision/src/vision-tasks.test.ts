import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { createTaskRegistry } from '@selfsup/pretext';
import { beforeAll, describe, expect, it } from 'vitest';
import { visionTasks } from './vision-tasks.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('visionTasks', () => {
  it('has a line for every task folder (src/<id>/<id>-task.ts): the map is how a task is reached', () => {
    const folders = readdirSync(import.meta.dirname, { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && existsSync(join(import.meta.dirname, entry.name, `${entry.name}-task.ts`)),
      )
      .map((entry) => entry.name);
    expect(Object.keys(visionTasks).sort()).toEqual(folders.sort());
  });

  it('maps each id to a factory of that task, described in one line, every option resolved and serializable', () => {
    const registry = createTaskRegistry(visionTasks);
    const ids = Object.keys(visionTasks).sort();
    expect(registry.ids()).toEqual(ids);
    for (const id of registry.ids()) {
      const task = registry.create(id);
      expect(task.id).toBe(id);
      expect(task.modality).toBe('image');
      // `selfsup list` and the generated task reference show it: what is seen → what is predicted (paper).
      expect(task.description, `the description of '${id}'`).toMatch(/^[A-Z][^\n]{19,199}[^.\s]$/);
      const options = task.options as Record<string, unknown>;
      expect(JSON.parse(JSON.stringify(options))).toEqual(
        Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
      );
    }
    expect(() => registry.create('jigsw')).toThrow(`'jigsw' is not a task; known: ${ids.join(', ')}`);
  });
});
