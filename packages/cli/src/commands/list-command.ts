import { installedBackends } from '@selfsup/backend/requests';
import { listFlag, type ParsedArguments } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { CATALOG_SECTIONS, createCatalog } from '../docs/catalog.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import { loadPlugins, resolvePluginPath } from '../plugins/load-plugins.js';
import { createRegistries } from '../registries/registries.js';

/**
 * `selfsup list [section]`: every id a config can name, with its description, options and
 * defaults. Methods, losses, augmentations, models, optimizers, schedules and backends are read
 * from their declarations — no tfjs loaded, no backend started. Tasks are read from the made
 * tasks (their `description`, modality, head and resolved options): listing
 * them (or loading plugins) imports the task packages, yet starts no backend (a task creates no
 * tensors until it makes a batch); plugins get a backend, started silently.
 */
export async function listCommand(args: ParsedArguments, output: Output): Promise<number> {
  const [section, ...extra] = args.positionals;
  if (extra.length > 0) throw new CliError('usage', `unexpected argument '${extra[0]}'`);
  if (section !== undefined && !(CATALOG_SECTIONS as readonly string[]).includes(section)) {
    throw new CliError('usage', `'${section}' is not a list; known: ${CATALOG_SECTIONS.join(', ')}`);
  }
  const plugins = listFlag(args.values, 'plugin').map((plugin) => resolvePluginPath(plugin, process.cwd()));
  const registries = createRegistries();
  if (plugins.length > 0) {
    // A plugin's code may compute when loaded: it gets an engine, started silently.
    const { initBackend } = await import('@selfsup/backend');
    await initBackend({ log: false });
  }
  // Tasks are made to read their defaults; making one creates no tensors, so no backend starts.
  if (section === undefined || section === 'tasks' || plugins.length > 0) await registries.loadTasks();
  await loadPlugins(plugins, registries);
  const catalog = createCatalog(registries, installedBackends());
  const sections = section === undefined ? CATALOG_SECTIONS : [section as (typeof CATALOG_SECTIONS)[number]];
  output.result(section === undefined ? catalog : { [section]: catalog[section as keyof typeof catalog] });
  for (const name of sections) {
    output.print(`${name}:`);
    for (const entry of catalog[name]) {
      const notes = entry.notes === undefined ? [] : [`(${entry.notes})`];
      output.print(`  ${entry.id.padEnd(22)} ${[entry.description, ...notes].filter(Boolean).join(' ')}`);
      for (const option of entry.options) {
        const fallback =
          option.default === undefined
            ? option.required
              ? ' (required)'
              : ''
            : ` = ${JSON.stringify(option.default)}`;
        output.print(`      ${option.name}: ${option.type.replace(/\\\|/g, '|')}${fallback}`);
      }
    }
    output.print('');
  }
  return EXIT_CODES.ok;
}
