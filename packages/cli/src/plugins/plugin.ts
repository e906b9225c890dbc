import type { PluginRegistries } from '../registries/registries.js';

/**
 * A plugin: a module whose default export registers tasks, losses, augmentations or methods into
 * the same registries the built-ins live in. Load it with `--plugin ./my-task.ts` or a `plugins:`
 * list in the config; its ids are then usable in configs, flags and `selfsup list`.
 *
 * @example
 * import type { SelfsupPlugin } from '@selfsup/cli';
 * import { myTask } from './my-task.js';
 *
 * export default {
 *   name: 'my-task',
 *   register({ tasks }) {
 *     tasks.register({ 'my-task': myTask });
 *   },
 * } satisfies SelfsupPlugin;
 */
export interface SelfsupPlugin {
  /** Names the plugin in messages and in the run's record. */
  name: string;
  /** Adds entries; may be async (e.g. to read a vocabulary). Throwing fails the command with exit code 5. */
  register(registries: PluginRegistries): void | Promise<void>;
}

/** Identity helper that types a plugin object (the same as `satisfies SelfsupPlugin`). */
export function definePlugin(plugin: SelfsupPlugin): SelfsupPlugin {
  return plugin;
}
