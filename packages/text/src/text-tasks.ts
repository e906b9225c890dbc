import { bertMlmTask } from './tasks/bert-mlm/bert-mlm-task.js';
import { cbowTask } from './tasks/cbow/cbow-task.js';
import { documentRotationTask } from './tasks/document-rotation/document-rotation-task.js';
import { sentenceOrderTask } from './tasks/sentence-order/sentence-order-task.js';
import { sentencePermutationTask } from './tasks/sentence-permutation/sentence-permutation-task.js';
import { skipGramTask } from './tasks/skip-gram/skip-gram-task.js';
import { spanMlmTask } from './tasks/span-mlm/span-mlm-task.js';
import { t5SpanCorruptionTask } from './tasks/t5-span-corruption/t5-span-corruption-task.js';
import { wholeWordMlmTask } from './tasks/whole-word-mlm/whole-word-mlm-task.js';

/**
 * The text package's tasks by registry id: the one public way to reach a task
 * (`textTasks['bert-mlm']({ vocabulary })`), and what registries (`createTaskRegistry(textTasks)`),
 * `selfsup list tasks`, the generated task reference and the tests enumerate. Adding a task: one
 * folder, one line here — no export, no docs table (docs/adding-a-task.md).
 */
export const textTasks = {
  'bert-mlm': bertMlmTask,
  'whole-word-mlm': wholeWordMlmTask,
  'span-mlm': spanMlmTask,
  't5-span-corruption': t5SpanCorruptionTask,
  'sentence-order': sentenceOrderTask,
  'sentence-permutation': sentencePermutationTask,
  'document-rotation': documentRotationTask,
  'skip-gram': skipGramTask,
  cbow: cbowTask,
} as const;
