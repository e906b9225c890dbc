import { availableBackends, initBackend } from '@selfsup/backend';
import { listFlag, type ParsedArguments } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { CATALOG_SECTIONS, createCatalog } from '../docs/catalog.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import { loadPlugins, resolvePluginPath } from '../plugins/load-plugins.js';
import { createRegistries } from '../registries/registries.js';

/** `selfsup list [section]`: every id a config can name, with options and defaults. */
export async function listCommand(args: ParsedArguments, output: Output): Promise<number> {
  const [section, ...extra] = args.positionals;
  if (extra.length > 0) throw new CliError('usage', `unexpected argument '${extra[0]}'`);
  if (section !== undefined && !(CATALOG_SECTIONS as readonly string[]).includes(section)) {
    throw new CliError('usage', `'${section}' is not a list; known: ${CATALOG_SECTIONS.join(', ')}`);
  }
  await initBackend({ log: false });
  const registries = createRegistries();
  await loadPlugins(
    listFlag(args.values, 'plugin').map((plugin) => resolvePluginPath(plugin, process.cwd())),
    registries,
  );
  const catalog = createCatalog(
    registries,
    section === undefined || section === 'backends' ? await availableBackends() : undefined,
  );
  const sections = section === undefined ? CATALOG_SECTIONS : [section as (typeof CATALOG_SECTIONS)[number]];
  output.result(section === undefined ? catalog : { [section]: catalog[section as keyof typeof catalog] });
  for (const name of sections) {
    output.print(`${name}:`);
    for (const entry of catalog[name]) {
      output.print(
        `  ${entry.id.padEnd(22)} ${entry.description}${entry.notes === undefined ? '' : ` (${entry.notes})`}`,
      );
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
