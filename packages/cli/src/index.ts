/**
 * @selfsup/cli — the `selfsup` command line, and the pieces it is made of: the run config schema,
 * the registries (tasks, methods, losses, augmentations, models) that built-ins and plugins share,
 * and the training run it drives.
 */

export type { OptionsSchema } from '@selfsup/pretext';
export type { OptionInfo } from '@selfsup/pretext/option-schemas';
export { type AppFlag, type AppFlags, type AppFlagValues, appUsage, parseAppFlags } from './app/app-flags.js';
export {
  type AppExperiment,
  type AppSpec,
  type AppValues,
  type CapturedApp,
  captureApp,
  runApp,
  STANDARD_APP_FLAGS,
} from './app/run-app.js';
export { CliError } from './cli-error.js';
export { COMMANDS, type CommandSpec, type FlagSpec } from './command-specs.js';
export { createConfigSchema, type RunConfig } from './config/config-schema.js';
export { configShape, type RunConfigInput } from './config/config-shape.js';
export { type ConfigIssue, formatIssue, formatPath } from './config/format-issues.js';
export { type ConfigOverride, type LoadedRunConfig, loadRunConfig } from './config/load-config.js';
export { readConfigFile } from './config/read-config-file.js';
export { CATALOG_SECTIONS, type Catalog, createCatalog } from './docs/catalog.js';
export type { EntryInfo } from './docs/describe-options.js';
export { generateReference } from './docs/generate-reference.js';
export { EXIT_CODE_MEANINGS, EXIT_CODES, type ExitReason } from './exit-codes.js';
export { runCli } from './main.js';
export { type LoadedPlugin, loadPlugins, resolvePluginPath } from './plugins/load-plugins.js';
export { definePlugin, type SelfsupPlugin } from './plugins/plugin.js';
export type {
  AugmentationContext,
  AugmentationEntry,
  EntryBase,
  LossEntry,
  MethodContext,
  MethodEntry,
  ModelContext,
  ModelEntry,
  ViewPairLoss,
} from './registries/entries.js';
export {
  createRegistries,
  loadBuiltinTaskMaps,
  type PluginRegistries,
  type Registries,
} from './registries/registries.js';
export { createRegistry, type Registry } from './registries/registry.js';
export { runTraining, type TrainingRunOptions, type TrainingSummary } from './run/run-training.js';
