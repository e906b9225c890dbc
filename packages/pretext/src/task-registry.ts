import type { PretextTask, TaskFactory, TaskMap } from './pretext-task.js';

/** Tasks by id, from one or more packages' task maps. */
export interface TaskRegistry {
  /** Every registered id, sorted. */
  ids(): string[];
  has(id: string): boolean;
  /** The factory for `id`. @throws listing the known ids when `id` is not registered. */
  factory(id: string): TaskFactory<object, unknown>;
  /** Makes the task `id` with the given options. */
  create(id: string, options?: object): PretextTask<object, unknown>;
  /** Adds a package's (or a plugin's) tasks. @throws if an id is already taken. */
  register(tasks: TaskMap): void;
}

/**
 * A registry built from task maps (`createTaskRegistry(visionTasks, textTasks)`); the CLI, the
 * config loader and plugins all go through one.
 *
 * @throws when two maps define the same id.
 */
export function createTaskRegistry(...maps: TaskMap[]): TaskRegistry {
  const factories = new Map<string, TaskFactory<object, unknown>>();
  const registry: TaskRegistry = {
    ids: () => [...factories.keys()].sort(),
    has: (id) => factories.has(id),
    factory(id) {
      const factory = factories.get(id);
      if (factory === undefined) {
        throw new Error(`'${id}' is not a task; known: ${registry.ids().join(', ') || '(none registered)'}`);
      }
      return factory;
    },
    create: (id, options) => registry.factory(id)(options),
    register(tasks) {
      for (const [id, factory] of Object.entries(tasks)) {
        if (factories.has(id)) throw new Error(`task '${id}' is registered twice`);
        factories.set(id, factory as unknown as TaskFactory<object, unknown>);
      }
    },
  };
  for (const map of maps) registry.register(map);
  return registry;
}
