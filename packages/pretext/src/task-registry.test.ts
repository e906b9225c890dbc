import { describe, expect, it } from 'vitest';
import type { PretextTask } from './pretext-task.js';
import { createTaskRegistry } from './task-registry.js';

const fakeTask = (id: string) => (options?: Partial<{ size: number }>) =>
  ({
    id,
    modality: 'image',
    options: { size: options?.size ?? 1 },
    head: { kind: 'linear', outputSize: 2 },
    makeBatch: () => {
      throw new Error('unused');
    },
    loss: () => {
      throw new Error('unused');
    },
  }) as unknown as PretextTask<{ size: number }>;

describe('task registry', () => {
  it('creates registered tasks with their options', () => {
    const registry = createTaskRegistry({ rotation: fakeTask('rotation') }, { jigsaw: fakeTask('jigsaw') });
    expect(registry.ids()).toEqual(['jigsaw', 'rotation']);
    expect(registry.create('rotation', { size: 3 }).options).toEqual({ size: 3 });
    expect(registry.has('jigsaw')).toBe(true);
  });

  it('rejects unknown ids listing the known ones, and duplicate ids', () => {
    const registry = createTaskRegistry({ rotation: fakeTask('rotation'), jigsaw: fakeTask('jigsaw') });
    expect(() => registry.create('jigsw')).toThrow("'jigsw' is not a task; known: jigsaw, rotation");
    expect(() => registry.register({ rotation: fakeTask('rotation') })).toThrow("task 'rotation' is registered twice");
  });
});
