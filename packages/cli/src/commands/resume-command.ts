import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runPaths } from '@selfsup/trainer/run-paths';
import { integerFlag, listFlag, type ParsedArguments, stringFlag } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { type ConfigOverride, loadRunConfig } from '../config/load-config.js';
import type { Output } from '../output.js';
import { resolvePluginPath } from '../plugins/load-plugins.js';
import { createRegistries } from '../registries/registries.js';
import { runTrainingCommand } from './training-signals.js';

/**
 * A run's config may name plugins — code that runs when the config loads. Resuming never runs them
 * unless the user names each again (`--plugin`) or trusts them all (`--trust-plugins`): a run
 * directory from elsewhere must not execute code behind the user's back.
 * @throws CliError('plugin') listing the plugins not confirmed.
 */
function requireConfirmedPlugins(configPath: string, args: ParsedArguments): string[] {
  let recorded: unknown;
  try {
    recorded = (JSON.parse(readFileSync(configPath, 'utf8')) as { plugins?: unknown }).plugins;
  } catch (error) {
    throw new CliError('run', `${configPath} is not readable JSON: ${(error as Error).message}`);
  }
  const confirmed = listFlag(args.values, 'plugin').map((plugin) => resolvePluginPath(plugin, process.cwd()));
  if (!Array.isArray(recorded) || recorded.length === 0 || args.values['trust-plugins'] === true) return confirmed;
  const unconfirmed = recorded.filter((plugin) => typeof plugin !== 'string' || !confirmed.includes(plugin));
  if (unconfirmed.length > 0) {
    throw new CliError(
      'plugin',
      `the run was trained with plugin code that resuming would run again: ${unconfirmed.join(', ')}; confirm each with --plugin <path> (or all with --trust-plugins)`,
    );
  }
  return confirmed;
}

/** `selfsup resume <run>`: continue a run from its newest checkpoint with its saved config. */
export async function resumeCommand(args: ParsedArguments, output: Output): Promise<number> {
  const [dir, ...extra] = args.positionals;
  if (dir === undefined) throw new CliError('usage', 'resume needs the run directory: selfsup resume <run-dir>');
  if (extra.length > 0) throw new CliError('usage', `unexpected argument '${extra[0]}'`);
  const paths = runPaths(resolve(dir));
  if (!existsSync(paths.config)) {
    throw new CliError(
      'run',
      `${paths.dir} is not a run directory (no config.json); runs are made by \`selfsup pretrain\``,
    );
  }
  const confirmedPlugins = requireConfirmedPlugins(paths.config, args);
  const overrides: ConfigOverride[] = [{ path: ['out'], value: paths.dir }];
  const maxSteps = integerFlag('max-steps', stringFlag(args.values, 'max-steps'));
  if (maxSteps !== undefined) overrides.push({ path: ['training', 'maxSteps'], value: maxSteps });
  const backend = stringFlag(args.values, 'backend');
  if (backend !== undefined) overrides.push({ path: ['backend', 'kind'], value: backend });
  const registries = createRegistries();
  const { config, plugins } = await loadRunConfig({
    file: paths.config,
    overrides,
    registries,
    log: output.log,
    trustPlugins: args.values['trust-plugins'] === true,
    confirmedPlugins,
  });
  // The run (and with it tfjs) loads once the config is valid.
  return runTrainingCommand(output, {
    command: 'resume',
    config,
    registries,
    plugins,
    quiet: args.values.quiet === true,
  });
}
