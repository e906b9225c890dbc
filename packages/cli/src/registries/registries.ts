import { augmentationDeclarations } from '@selfsup/augment/declarations';
import { lossDeclarations } from '@selfsup/losses/declarations';
import { modelDeclarations } from '@selfsup/models/declarations';
import { createTaskRegistry, type TaskMap, type TaskRegistry } from '@selfsup/pretext';
import { methodDeclarations } from '@selfsup/trainer/declarations';
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
  /**
   * Registers the built-in tasks (the vision, text and video packages' maps) into `tasks`, once;
   * resolves to `tasks`. The task packages load tfjs when imported, so only what makes or lists
   * tasks calls it: methods, losses, augmentations and models are declared without loading
   * their packages. A no-op for registries made with explicit task maps.
   */
  loadTasks(): Promise<TaskRegistry>;
}

/** The registries a plugin adds to. */
export type PluginRegistries = Omit<Registries, 'models' | 'loadTasks'>;

/** The task maps of the installed task packages (importing them loads tfjs). */
export async function loadBuiltinTaskMaps(): Promise<TaskMap[]> {
  const [{ visionTasks }, { textTasks }, { videoTasks }] = await Promise.all([
    import('@selfsup/vision'),
    import('@selfsup/text'),
    import('@selfsup/video'),
  ]);
  return [visionTasks, textTasks, videoTasks] as unknown as TaskMap[];
}

/**
 * Registries holding every built-in: the packages' declarations of their methods
 * (`@selfsup/trainer/declarations`), view-pair losses (`@selfsup/losses/declarations`),
 * augmentation ops and presets (`@selfsup/augment/declarations`) and encoders
 * (`@selfsup/models/declarations`) — each package
 * imported only when an entry is made — and the tasks of `taskMaps`, or, left out, the task packages' tasks once
 * `loadTasks()` has run.
 *
 * @example
 * const registries = createRegistries();
 * registries.losses.get('nt-xnet'); // Error: 'nt-xnet' is not a loss; known: barlow-twins, nt-xent, vicreg
 * (await registries.loadTasks()).ids(); // ['arrow-of-time', …, 'rotation', …]
 */
export function createRegistries(taskMaps?: readonly TaskMap[]): Registries {
  const methods = createRegistry<MethodEntry>('method');
  methods.register(methodDeclarations);
  const losses = createRegistry<LossEntry>('loss');
  losses.register(lossDeclarations);
  const augmentations = createRegistry<AugmentationEntry>('augmentation');
  augmentations.register(augmentationDeclarations);
  const models = createRegistry<ModelEntry>('model');
  models.register(modelDeclarations);
  const tasks = createTaskRegistry(...(taskMaps ?? []));
  let builtinTasks: Promise<TaskRegistry> | undefined = taskMaps === undefined ? undefined : Promise.resolve(tasks);
  const loadTasks = () => {
    builtinTasks ??= loadBuiltinTaskMaps().then((maps) => {
      for (const map of maps) tasks.register(map);
      return tasks;
    });
    return builtinTasks;
  };
  return { tasks, methods, losses, augmentations, models, loadTasks };
}
