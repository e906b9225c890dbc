import { initBackend } from '@selfsup/backend';
import { createTaskRegistry } from '@selfsup/pretext';
import { beforeAll, describe, expect, it } from 'vitest';
import { videoTasks } from './video-tasks.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('videoTasks', () => {
  it('maps each id to a factory of that task, with every option resolved and serializable', () => {
    const registry = createTaskRegistry(videoTasks);
    expect(registry.ids()).toEqual([
      'arrow-of-time',
      'clip-order',
      'missing-frame',
      'odd-one-out',
      'order-prediction',
      'shuffle-and-learn',
    ]);
    for (const id of registry.ids()) {
      const task = registry.create(id);
      expect(task.id).toBe(id);
      expect(task.modality).toBe('video');
      expect(task.head.kind).toBe('custom');
      const options = task.options as Record<string, unknown>;
      expect(Object.values(options).every((v) => v !== undefined)).toBe(true);
      expect(JSON.parse(JSON.stringify(options))).toEqual(options);
    }
    expect(() => registry.create('opn')).toThrow("'opn' is not a task; known: arrow-of-time, clip-order");
  });
});
