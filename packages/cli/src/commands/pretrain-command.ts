import {
  assignment,
  channelsFlag,
  integerFlag,
  listFlag,
  numberFlag,
  type ParsedArguments,
  sizeFlag,
  stringFlag,
} from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type ConfigOverride, loadRunConfig } from '../config/load-config.js';
import type { Output } from '../output.js';
import { createRegistries } from '../registries/registries.js';
import { runTrainingCommand } from './training-signals.js';

/** The config overrides the flags of `pretrain` stand for. */
export function overridesFromFlags(values: ParsedArguments['values'], cwd: string): ConfigOverride[] {
  const overrides: ConfigOverride[] = [];
  const add = (path: string[], value: unknown) => {
    if (value !== undefined) overrides.push({ path, value, baseDir: cwd });
  };
  add(['data', 'path'], stringFlag(values, 'data'));
  // After data.path: a new path clears the kind, a named kind stays.
  add(['data', 'kind'], stringFlag(values, 'data-kind'));
  add(['method', 'id'], stringFlag(values, 'method'));
  add(['task', 'id'], stringFlag(values, 'task'));
  add(['loss', 'id'], stringFlag(values, 'loss'));
  add(['augmentations', 'preset'], stringFlag(values, 'preset'));
  add(['model', 'kind'], stringFlag(values, 'model'));
  add(['training', 'epochs'], integerFlag('epochs', stringFlag(values, 'epochs')));
  add(['training', 'maxSteps'], integerFlag('max-steps', stringFlag(values, 'max-steps')));
  add(['data', 'batchSize'], integerFlag('batch-size', stringFlag(values, 'batch-size')));
  add(['data', 'size'], sizeFlag('size', stringFlag(values, 'size')));
  add(['data', 'channels'], channelsFlag(stringFlag(values, 'channels')));
  add(['schedule', 'learningRate'], numberFlag('lr', stringFlag(values, 'lr')));
  add(['optimizer', 'kind'], stringFlag(values, 'optimizer'));
  add(['evaluation', 'labels'], stringFlag(values, 'labels'));
  add(['seed'], integerFlag('seed', stringFlag(values, 'seed'), Number.MIN_SAFE_INTEGER));
  if (values['strict-data'] === true) add(['data', 'onError'], 'throw');
  add(['backend', 'kind'], stringFlag(values, 'backend'));
  add(['out'], stringFlag(values, 'out'));
  for (const plugin of listFlag(values, 'plugin')) add(['plugins'], plugin);
  for (const text of listFlag(values, 'set')) {
    const { path, value } = assignment('set', text);
    add(path, value);
  }
  return overrides;
}

/** `selfsup pretrain`: validate a config (file and flags), then train it. Returns the exit code. */
export async function pretrainCommand(args: ParsedArguments, output: Output): Promise<number> {
  const file = stringFlag(args.values, 'config');
  if (file === undefined && stringFlag(args.values, 'data') === undefined) {
    throw new CliError('usage', 'pretrain needs --config <file> or --data <folder> (see `selfsup pretrain --help`)');
  }
  if (args.positionals.length > 0) throw new CliError('usage', `unexpected argument '${args.positionals[0]}'`);
  const registries = createRegistries();
  const { config, plugins, dataKind } = await loadRunConfig({
    ...(file === undefined ? {} : { file }),
    overrides: overridesFromFlags(args.values, process.cwd()),
    registries,
    log: output.log,
    trustPlugins: args.values['trust-plugins'] === true,
  });
  // The run (and with it tfjs) loads once the config is valid.
  return runTrainingCommand(output, {
    command: 'pretrain',
    config,
    registries,
    plugins,
    dataKind,
    dryRun: args.values['dry-run'] === true,
    quiet: args.values.quiet === true,
  });
}
