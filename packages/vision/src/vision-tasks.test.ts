import { initBackend } from '@selfsup/backend';
import { createTaskRegistry } from '@selfsup/pretext';
import { beforeAll, describe, expect, it } from 'vitest';
import { visionTasks } from './vision-tasks.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('visionTasks', () => {
  it('maps each id to a factory of that task, with every option resolved and serializable', () => {
    const registry = createTaskRegistry(visionTasks);
    expect(registry.ids()).toEqual([
      'colorization',
      'denoising',
      'inpainting',
      'jigsaw',
      'mae',
      'relative-location',
      'rotation',
    ]);
    for (const id of registry.ids()) {
      const task = registry.create(id, id === 'jigsaw' ? { permutations: 10 } : {});
      expect(task.id).toBe(id);
      expect(task.modality).toBe('image');
      const options = task.options as Record<string, unknown>;
      expect(JSON.parse(JSON.stringify(options))).toEqual(
        Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
      );
    }
    expect(() => registry.create('jigsw')).toThrow(
      "'jigsw' is not a task; known: colorization, denoising, inpainting, jigsaw, mae, relative-location, rotation",
    );
  });
});
