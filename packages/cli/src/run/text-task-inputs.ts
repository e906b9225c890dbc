import type { PretextTask, TextTaskInputs } from '@selfsup/pretext';
import { validationTaskOptions } from '../config/run-provided-options.js';
import type { Registries } from '../registries/registries.js';

export type { TextTaskInputs };

/** A text task that declares no inputs: packed sequences, any text encoder. */
export const DEFAULT_TEXT_TASK_INPUTS: TextTaskInputs = { samples: 'packed' };

/** The text encoder a task trains when the config names none. */
export const DEFAULT_TEXT_MODEL = 'text-transformer';

/** What a text task trains on, as it declares (`task.textInputs`), or the default. */
export function textTaskInputs(task: Pick<PretextTask, 'textInputs'>): TextTaskInputs {
  return task.textInputs ?? DEFAULT_TEXT_TASK_INPUTS;
}

/**
 * What the registered task `id` declares it trains on with `options`. Token tasks need the corpus's
 * vocabulary (and word2vec its counts), which exist only once a run reads the corpus: stand-ins let
 * the task resolve its options now.
 */
export function declaredTextInputs(
  registries: Registries,
  id: string,
  options: Record<string, unknown> = {},
): TextTaskInputs {
  return textTaskInputs(registries.tasks.create(id, { ...validationTaskOptions(), ...options }));
}

/**
 * Tokens per segment for `segments` segments in an encoder input of `sequenceLength` tokens: the
 * tasks read `[CLS] A [SEP] B [SEP] …`, so `segments · length + segments + 1 ≤ sequenceLength`.
 * The same as `@selfsup/text`'s `segmentLength`, here so that checking a config loads no tfjs.
 */
export function segmentLength(sequenceLength: number, segments: number): number {
  return Math.floor((sequenceLength - segments - 1) / segments);
}

/** Sentinel tokens trained into a tokenizer for a task that needs them (T5 used 100). */
export const DEFAULT_SENTINELS = 100;
