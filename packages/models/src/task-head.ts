import type { PretextTask } from '@selfsup/pretext';
import { createLinearClassifier, createMlpHead } from './heads.js';
import type { Encoder, Head } from './module.js';

/**
 * Builds the head a task declares, on top of an encoder: `linear` and `mlp` heads map features
 * `[batch, encoder.featureSize]` to `[batch, outputSize]` (named `<task id>_head`); a `custom`
 * head is what the task's `create` makes; `none` gives `undefined` (the task's `forward` makes its
 * outputs).
 *
 * @example
 * const head = headForTask(rotationTask(), encoder, 1); // features [4N, F] → logits [4N, 4]
 */
export function headForTask(
  task: Pick<PretextTask<object, unknown>, 'id' | 'head'>,
  encoder: Encoder,
  seed: number,
): Head | undefined {
  const spec = task.head;
  const name = `${task.id}_head`;
  switch (spec.kind) {
    case 'linear':
      return createLinearClassifier({ inputSize: encoder.featureSize, classes: spec.outputSize, seed, name });
    case 'mlp':
      return createMlpHead({
        inputSize: encoder.featureSize,
        hiddenSize: spec.hiddenSize,
        outputSize: spec.outputSize,
        seed,
        name,
      });
    case 'custom':
      return spec.create(encoder, seed);
    case 'none':
      return undefined;
  }
}
