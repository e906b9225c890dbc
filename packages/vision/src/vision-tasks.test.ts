import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { headForTask } from '@selfsup/models';
import { createTaskRegistry, type PretextTask } from '@selfsup/pretext';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoCrops } from './test-images.js';
import { encoderForTask, forwardOf } from './test-training.js';
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

  it("declares what each task's encoder sees: an encoder built from the declaration runs the task; a classifier's chance is 1 / its outputs", async () => {
    const photos = await photoCrops(); // [8, 64, 64, 3]
    for (const [id, factory] of Object.entries(visionTasks)) {
      const task = (factory as () => PretextTask<object, Tensor4D>)();
      const encoder = encoderForTask(task, [64, 64, 3]);
      const head = headForTask(task, encoder, 1);
      const batch = task.makeBatch(photos, { rng: createRng(0), training: false });
      const outputs = forwardOf(task, encoder, head)(batch, false);
      if (task.chance !== undefined) expect(task.chance, id).toBe(1 / (outputs.shape[1] as number));
      tf.dispose([outputs, batch as unknown as tf.TensorContainer]);
      head?.dispose();
      encoder.dispose();
    }
    expect(visionTasks.jigsaw().encoderInput?.([64, 64, 3])).toEqual({ shape: [7, 7, 3], pixels: false });
    expect(visionTasks.colorization().encoderInput?.([28, 28, 3])).toEqual({ shape: [28, 28, 1], pixels: false });
    expect(visionTasks.mae().encoderInput?.([28, 28, 1])).toEqual({ shape: [28, 28, 1], pixels: true, patchSize: 4 });
    expect([visionTasks.rotation().chance, visionTasks['relative-location']().chance]).toEqual([1 / 4, 1 / 8]);
    expect(visionTasks.jigsaw({ permutations: 10 }).chance).toBe(1 / 10);
    photos.dispose();
  });
});
