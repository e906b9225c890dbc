import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { createTaskRegistry } from '@selfsup/pretext';
import { beforeAll, describe, expect, it } from 'vitest';
import { videoTasks } from './video-tasks.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('videoTasks', () => {
  it('has a line for every task folder (tasks/<id>/<id>-task.ts): the map is how a task is reached', () => {
    const tasks = join(import.meta.dirname, 'tasks');
    const folders = readdirSync(tasks, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(tasks, entry.name, `${entry.name}-task.ts`)))
      .map((entry) => entry.name);
    expect(Object.keys(videoTasks).sort()).toEqual(folders.sort());
  });

  it('maps each id to a factory of that task, described in one line, every option resolved and serializable', () => {
    const registry = createTaskRegistry(videoTasks);
    const ids = Object.keys(videoTasks).sort();
    expect(registry.ids()).toEqual(ids);
    for (const id of registry.ids()) {
      const task = registry.create(id);
      expect(task.id).toBe(id);
      expect(task.modality).toBe('video');
      // `selfsup list` and the generated task reference show it: what is seen → what is predicted (paper).
      expect(task.description, `the description of '${id}'`).toMatch(/^[A-Z][^\n]{19,199}[^.\s]$/);
      expect(task.head.kind).toBe('custom');
      const options = task.options as Record<string, unknown>;
      expect(Object.values(options).every((v) => v !== undefined)).toBe(true);
      expect(JSON.parse(JSON.stringify(options))).toEqual(options);
    }
    expect(() => registry.create('opn')).toThrow(`'opn' is not a task; known: ${ids.join(', ')}`);
  });
});
