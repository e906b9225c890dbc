import type { OptionsSchema } from '@selfsup/pretext';
import { validateOptions } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import type { MethodEntry } from '../registries/entries.js';
import type { Registries } from '../registries/registries.js';
import { article } from '../registries/registry.js';
import {
  DEFAULT_SENTINELS,
  DEFAULT_TEXT_MODEL,
  segmentLength,
  type TextTaskInputs,
  textTaskInputs,
} from '../run/text-task-inputs.js';
import { configShape, createConfigShape, type RunConfigShape, type SectionContext } from './config-shape.js';
import { RUN_PROVIDED_OPTIONS, validationTaskOptions, withoutRunProvided } from './run-provided-options.js';

/** A validated run config: defaults filled in, ids checked, each entry's options resolved. */
export type RunConfig = RunConfigShape;

type Path = Array<string | number>;
type Report = (path: Path, message: string, details?: Record<string, unknown>) => void;

/** The modality each data kind provides. */
const DATA_MODALITY: Record<RunConfig['data']['kind'], 'image' | 'text' | 'video'> = {
  'image-folder': 'image',
  idx: 'image',
  'text-corpus': 'text',
  'video-folder': 'video',
};

/** The encoder a modality trains when the config names none (video: a per-frame image encoder). */
const DEFAULT_MODEL = { image: 'small-cnn', text: DEFAULT_TEXT_MODEL, video: 'small-cnn' } as const;

/** Whether a method trains on `count` views: exactly its `views`, or at least them for a multi-crop method. */
function viewCountFits(method: Pick<MethodEntry, 'views' | 'multiCrop'>, count: number): boolean {
  return method.multiCrop === true ? count >= method.views : count === method.views;
}

/** The views a method trains on, in words: `2`, or `2 or more` for a multi-crop method. */
function viewsText(method: Pick<MethodEntry, 'views' | 'multiCrop'>): string {
  return method.multiCrop === true ? `${method.views} or more` : `${method.views}`;
}

/**
 * Makes a task for validation. Token tasks need the corpus's vocabulary (and word2vec its token
 * counts), which exist only once the run reads the corpus: stand-ins let their options resolve now
 * (the run passes the real ones).
 */
function taskForValidation(registries: Registries, id: string, options: Record<string, unknown>) {
  return registries.tasks.create(id, { ...validationTaskOptions(), ...options });
}

const reporter =
  (context: SectionContext): Report =>
  (path, message, details = {}) =>
    context.issues.push({ code: 'custom', input: undefined, ...details, path, message } as z.core.$ZodRawIssue);

/** Validates an entry's options against its schema; the resolved options, or undefined after reporting. */
function checkEntryOptions(
  report: Report,
  path: Path,
  schema: OptionsSchema | undefined,
  options: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (schema === undefined) {
    const [first] = Object.keys(options);
    if (first !== undefined) report([...path, first], 'unknown option; this entry takes no options');
    return options;
  }
  let result: ReturnType<typeof validateOptions>;
  try {
    result = validateOptions(schema, options);
  } catch (error) {
    report(path, (error as Error).message);
    return undefined;
  }
  if ('value' in result) return result.value;
  for (const { path: inner, message, ...details } of result.issues) report([...path, ...inner], message, details);
  return undefined;
}

function knownId(
  report: Report,
  path: Path,
  kind: string,
  id: string,
  known: { has(id: string): boolean; ids(): string[] },
) {
  if (known.has(id)) return true;
  report(path, `'${id}' is not ${article(kind)} ${kind}; known: ${known.ids().join(', ')}`);
  return false;
}

/**
 * The checks and defaults of a text task on a corpus: the encoder it trains, the tokenizer's
 * sentinels, and segments that fit `data.sequenceLength`.
 */
function checkTextTask(
  report: Report,
  resolved: RunConfig,
  taskId: string,
  inputs: TextTaskInputs,
  textModel: boolean,
) {
  const { data, model } = resolved;
  if (data.kind !== 'text-corpus') return;
  // An image encoder is reported by the modality check already.
  if (textModel && inputs.models !== undefined && model.kind !== undefined && !inputs.models.includes(model.kind)) {
    report(
      ['model', 'kind'],
      `'${model.kind}' cannot train task '${taskId}'; it trains ${inputs.models.map((id) => `'${id}'`).join(' or ')}`,
    );
  }
  if (data.tokenizer.sentinels === undefined) data.tokenizer.sentinels = inputs.sentinels ? DEFAULT_SENTINELS : 0;
  if (inputs.sentinels && data.tokenizer.path === undefined && data.tokenizer.sentinels === 0) {
    report(['data', 'tokenizer', 'sentinels'], `task '${taskId}' needs sentinel tokens; give 1 or more (T5: 100)`);
  }
  if (data.tokenizer.path === undefined && data.tokenizer.vocabSize < data.tokenizer.sentinels + 64) {
    report(
      ['data', 'tokenizer', 'vocabSize'],
      `${data.tokenizer.vocabSize} leaves too few word tokens beside ${data.tokenizer.sentinels} sentinels and 5 special tokens; give at least ${data.tokenizer.sentinels + 64}`,
    );
  }
  if (inputs.samples === 'segments' && inputs.segments !== undefined && resolved.task !== undefined) {
    const segments = inputs.segments;
    const length = segmentLength(data.sequenceLength, segments);
    if (length < 4) {
      report(
        ['data', 'sequenceLength'],
        `${data.sequenceLength} leaves ${Math.max(0, length)} tokens per segment for the ${segments} segments of task '${taskId}' (${segments} × length + ${segments + 1} special tokens); give at least ${4 * segments + segments + 1}`,
      );
    }
  }
}

/**
 * The one schema of a run config: {@link configShape} (fields, types, ranges, defaults) plus the
 * checks that need the registries — every task, method, loss, augmentation and model id exists,
 * its options validate against the entry's schema (and are replaced by the resolved ones), the
 * task fits the data's modality, views match what the method trains on, the loss belongs to a
 * method that takes one. Every problem is reported at once, with its exact field path
 * (`method.options.temperature`, `augmentations.pipeline[1].op`).
 */
export function createConfigSchema(registries: Registries) {
  const shape = createConfigShape({
    method(method, context) {
      const report = reporter(context);
      if (!knownId(report, ['id'], 'method', method.id, registries.methods)) return method;
      const options = checkEntryOptions(report, ['options'], registries.methods.get(method.id).options, method.options);
      return options === undefined ? method : { ...method, options };
    },
    task(task, context) {
      const report = reporter(context);
      if (!knownId(report, ['id'], 'task', task.id, registries.tasks)) return task;
      const provided = Object.keys(task.options).filter((key) => key in RUN_PROVIDED_OPTIONS);
      for (const key of provided) report(['options', key], RUN_PROVIDED_OPTIONS[key] as string);
      if (provided.length > 0) return task;
      try {
        const made = taskForValidation(registries, task.id, task.options);
        const known = Object.keys(withoutRunProvided(made.options));
        let unknown = false;
        for (const key of Object.keys(task.options)) {
          if (!known.includes(key)) {
            unknown = true;
            report(['options', key], `unknown option of task '${task.id}'; allowed: ${known.join(', ') || '(none)'}`);
          }
        }
        return unknown ? task : { ...task, options: withoutRunProvided(made.options) };
      } catch (error) {
        report(['options'], (error as Error).message);
        return task;
      }
    },
    loss(loss, context) {
      const report = reporter(context);
      if (!knownId(report, ['id'], 'loss', loss.id, registries.losses)) return loss;
      const options = checkEntryOptions(report, ['options'], registries.losses.get(loss.id).options, loss.options);
      return options === undefined ? loss : { ...loss, options };
    },
    augmentations(augmentations, context) {
      const report = reporter(context);
      const resolved = structuredClone(augmentations);
      const { preset, pipeline } = resolved;
      if (preset !== undefined && pipeline !== undefined) report([], 'set either `preset` or `pipeline`, not both');
      if (preset === undefined && pipeline === undefined) report([], 'set `preset` or `pipeline`');
      if (preset !== undefined && knownId(report, ['preset'], 'augmentation', preset, registries.augmentations)) {
        const options = checkEntryOptions(
          report,
          ['options'],
          registries.augmentations.get(preset).options,
          resolved.options,
        );
        if (options !== undefined) resolved.options = options;
      } else if (preset === undefined && Object.keys(resolved.options).length > 0) {
        report(['options'], 'options belong to a `preset`; pipeline ops take theirs inline');
      }
      pipeline?.forEach((step, index) => {
        const { op, ...options } = step;
        if (!knownId(report, ['pipeline', index, 'op'], 'augmentation', op, registries.augmentations)) return;
        const entry = registries.augmentations.get(op);
        if (entry.produces === 'views') {
          report(['pipeline', index, 'op'], `'${op}' makes several views; use it as \`preset\`, not inside a pipeline`);
          return;
        }
        const checked = checkEntryOptions(report, ['pipeline', index], entry.options, options);
        if (checked !== undefined) pipeline[index] = { op, ...checked };
      });
      return resolved;
    },
    model(model, context) {
      const report = reporter(context);
      if (
        typeof model.normalization === 'object' &&
        model.normalization.mean.length !== model.normalization.std.length
      ) {
        report(['normalization'], 'mean and std must have one value per channel each');
      }
      if (model.kind === undefined) return model; // filled in once the data's modality is known
      if (!knownId(report, ['kind'], 'model', model.kind, registries.models)) return model;
      const options = checkEntryOptions(report, ['options'], registries.models.get(model.kind).options, model.options);
      return options === undefined ? model : { ...model, options };
    },
  });

  return shape.transform((config, context) => {
    const report = reporter(context);
    const resolved: RunConfig = structuredClone(config);
    const { method, task } = resolved;
    if (method !== undefined && task !== undefined) report(['task'], 'set either `method` or `task`, not both');
    if (method === undefined && task === undefined) {
      const simclr = registries.methods.get('simclr');
      resolved.method = {
        id: 'simclr',
        options: checkEntryOptions(report, ['method', 'options'], simclr.options, {}) ?? {},
      };
    }
    const methodEntry = resolved.method === undefined ? undefined : registries.methods.get(resolved.method.id);

    const modality = DATA_MODALITY[config.data.kind];
    const fittingTasks = () =>
      registries.tasks
        .ids()
        .filter((id) => {
          try {
            return taskForValidation(registries, id, {}).modality === modality;
          } catch {
            return false;
          }
        })
        .join(', ') || '(none)';
    let made: ReturnType<typeof taskForValidation> | undefined;
    if (task !== undefined && registries.tasks.has(task.id)) {
      try {
        made = taskForValidation(registries, task.id, task.options);
      } catch {
        made = undefined; // reported with the task section
      }
      if (made !== undefined && made.modality !== modality) {
        report(
          ['task', 'id'],
          `task '${task.id}' trains on ${made.modality}, but data.kind '${config.data.kind}' gives ${modality}; ${modality} tasks: ${fittingTasks()}`,
        );
      }
    }
    if (modality !== 'image' && resolved.method !== undefined && task === undefined) {
      report(
        ['method', 'id'],
        `method '${resolved.method.id}' trains on augmented image views; ${modality} data (data.kind '${config.data.kind}') needs a ${modality === 'text' ? 'text' : 'frame-order'} task (--task <id>): ${fittingTasks()}`,
      );
    }
    if (modality !== 'image' && config.augmentations !== undefined) {
      report(
        ['augmentations'],
        `augmentations make image views; ${modality} tasks make their own inputs from data.kind '${config.data.kind}'`,
      );
    }
    const textInputs = modality === 'text' && made !== undefined ? textTaskInputs(made) : undefined;
    if (resolved.model.kind === undefined) {
      resolved.model.kind = textInputs?.models?.[0] ?? DEFAULT_MODEL[modality];
      const options = checkEntryOptions(
        report,
        ['model', 'options'],
        registries.models.get(resolved.model.kind).options,
        resolved.model.options,
      );
      if (options !== undefined) resolved.model.options = options;
    }
    if (registries.models.has(resolved.model.kind)) {
      const modelModality = registries.models.get(resolved.model.kind).modality ?? 'image';
      // Frame-order tasks run an image encoder on every frame.
      const wanted = modality === 'video' ? 'image' : modality;
      if (modelModality !== wanted) {
        report(
          ['model', 'kind'],
          `'${resolved.model.kind}' encodes ${modelModality}, but data.kind '${config.data.kind}' gives ${modality}; ${modality} encoders: ${registries.models
            .ids()
            .filter((id) => (registries.models.get(id).modality ?? 'image') === wanted)
            .join(', ')}`,
        );
      }
    }

    if (textInputs !== undefined && task !== undefined && registries.tasks.has(task.id)) {
      const kind = resolved.model.kind as string;
      const textModel = registries.models.has(kind) && registries.models.get(kind).modality === 'text';
      checkTextTask(report, resolved, task.id, textInputs, textModel);
    }

    if (methodEntry?.takesLoss) {
      if (resolved.loss === undefined) {
        const options = checkEntryOptions(report, ['loss', 'options'], registries.losses.get('nt-xent').options, {});
        resolved.loss = { id: 'nt-xent', options: options ?? {} };
      }
    } else if (config.loss !== undefined) {
      const owner = task === undefined ? `method '${resolved.method?.id}'` : `task '${task.id}'`;
      report(['loss'], `${owner} has its own loss; a configurable loss needs method 'two-view'`);
    }

    const augmentations = resolved.augmentations;
    if (augmentations?.preset !== undefined) {
      const entry = registries.augmentations.get(augmentations.preset);
      if (entry.produces === 'views') {
        const count = entry.viewCount?.(augmentations.options) ?? 2;
        if (task !== undefined)
          report(['augmentations', 'preset'], `'${augmentations.preset}' makes ${count} views; a task takes one image`);
        else if (methodEntry !== undefined && !viewCountFits(methodEntry, count)) {
          report(
            ['augmentations', 'preset'],
            `'${augmentations.preset}' makes ${count} views; method '${resolved.method?.id}' trains on ${viewsText(methodEntry)}`,
          );
        }
      }
    }
    if (augmentations?.views !== undefined) {
      if (task !== undefined && augmentations.views !== 1) report(['augmentations', 'views'], 'a task takes 1 view');
      if (methodEntry !== undefined && !viewCountFits(methodEntry, augmentations.views)) {
        report(['augmentations', 'views'], `method '${resolved.method?.id}' trains on ${viewsText(methodEntry)} views`);
      }
    }

    const { evaluation, schedule, training } = config;
    if (modality === 'text' && evaluation.enabled === true && evaluation.labels === undefined) {
      report(
        ['evaluation', 'labels'],
        'missing; a text run is probed on labeled text (class sub-folders of .txt/.md/.jsonl files, or a .jsonl of {text, label})',
      );
    } else if (modality === 'video' && evaluation.enabled === true && evaluation.labels === undefined) {
      report(['evaluation', 'labels'], 'missing; a video run evaluates its frame encoder on labeled images');
    } else if (evaluation.enabled === true && evaluation.labels === undefined && config.data.kind !== 'idx') {
      report(
        ['evaluation', 'labels'],
        'missing; evaluating needs labeled images (a class-per-folder directory, a CSV or an IDX directory)',
      );
    }
    if (evaluation.testLabels !== undefined && evaluation.labels === undefined) {
      report(['evaluation', 'labels'], 'missing; `testLabels` needs `labels` to train the probe on');
    }
    if (schedule.kind === 'warmup-cosine' && schedule.warmupEpochs > training.epochs) {
      report(
        ['schedule', 'warmupEpochs'],
        `${schedule.warmupEpochs} is longer than the run (training.epochs ${training.epochs})`,
      );
    }
    if (schedule.kind === 'step') {
      schedule.milestoneEpochs.forEach((epoch, index) => {
        if (epoch > training.epochs) {
          report(
            ['schedule', 'milestoneEpochs', index],
            `${epoch} is after the last epoch (training.epochs ${training.epochs})`,
          );
        }
      });
    }
    return resolved;
  });
}

export { configShape };
