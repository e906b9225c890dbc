/** @selfsup/pretext — the interface every selfsup pretext task implements. */
export type {
  EncoderInput,
  ForwardMode,
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
