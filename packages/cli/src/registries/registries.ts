import { createTaskRegistry, type TaskMap, type TaskRegistry } from '@selfsup/pretext';
import { textTasks } from '@selfsup/text';
import { videoTasks } from '@selfsup/video';
import { visionTasks } from '@selfsup/vision';
import { builtinAugmentations } from './builtin-augmentations.js';
import { builtinLosses } from './builtin-losses.js';
import { builtinMethods } from './builtin-methods.js';
import { builtinModels } from './builtin-models.js';
import type { AugmentationEntry, LossEntry, MethodEntry, ModelEntry } from './entries.js';
import { createRegistry, type Registry } from './registry.js';

/**
 * Everything a config can name by id. Built-ins and plugins go through the same registries: the
 * tasks are `@selfsup/pretext`'s registry filled from the task packages' maps (`visionTasks`), so
 * a task added to a package's map is a CLI task with no change here.
 * (`textTasks` train on `data.kind: text-corpus`, `videoTasks` on `video-folder`, vision tasks on images.)
 */
export interface Registries {
  tasks: TaskRegistry;
  methods: Registry<MethodEntry>;
  losses: Registry<LossEntry>;
  augmentations: Registry<AugmentationEntry>;
  /** Encoders (not open to plugins: an exported encoder must load with `loadEncoder` alone). */
  models: Registry<ModelEntry>;
}

/** The registries a plugin adds to. */
export type PluginRegistries = Omit<Registries, 'models'>;

/** The task maps the CLI starts with: one per installed task package. */
export const BUILTIN_TASK_MAPS: readonly TaskMap[] = [
  visionTasks as unknown as TaskMap,
  textTasks as unknown as TaskMap,
  videoTasks as unknown as TaskMap,
];

/**
 * Registries holding every built-in: the tasks of `taskMaps` (default: the vision, text and video packages'),
 * the trainer's methods, the view-pair losses, the augmentation ops and presets, the encoders.
 *
 * @example
 * const registries = createRegistries();
 * registries.tasks.ids();        // ['rotation', …]
 * registries.losses.get('nt-xnet'); // Error: 'nt-xnet' is not a loss; known: barlow-twins, nt-xent, vicreg
 */
export function createRegistries(taskMaps: readonly TaskMap[] = BUILTIN_TASK_MAPS): Registries {
  const methods = createRegistry<MethodEntry>('method');
  methods.register(builtinMethods);
  const losses = createRegistry<LossEntry>('loss');
  losses.register(builtinLosses);
  const augmentations = createRegistry<AugmentationEntry>('augmentation');
  augmentations.register(builtinAugmentations);
  const models = createRegistry<ModelEntry>('model');
  models.register(builtinModels);
  return { tasks: createTaskRegistry(...taskMaps), methods, losses, augmentations, models };
}
