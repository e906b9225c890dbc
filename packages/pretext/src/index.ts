/**
 * @selfsup/pretext — the interface every selfsup pretext task implements, and the declaration
 * every other extension point (loss, augmentation, method, model) states about itself.
 */
export type { Declaration, OptionsSchema, StandardResult } from './declaration.js';
export { didYouMean, unknownFieldsMessage } from './did-you-mean.js';
export type {
  EncoderInput,
  ForwardMode,
  MetricValues,
  Modality,
  PretextTask,
  TaskBatch,
  TaskContext,
  TaskEncoder,
  TaskFactory,
  TaskHead,
  TaskHeadSpec,
  TaskMap,
  TaskOwnedHead,
  TextTaskInputs,
} from './pretext-task.js';
export { createTaskRegistry, type TaskRegistry } from './task-registry.js';
