import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { loadEncoder, loadModule, saveModule } from '@selfsup/models';
import { type ParsedArguments, stringFlag } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import { findModules } from '../run/find-modules.js';
import { runPaths } from '../run/run-paths.js';

/**
 * `selfsup export <run>`: writes the run's modules — or only the encoder — as saved modules
 * (model.json + weights.bin) that `loadEncoder(dir)` / `loadModule(dir)` load in one call. Every
 * module is loaded first, so a corrupt checkpoint fails here rather than in the user's script.
 */
export async function exportCommand(args: ParsedArguments, output: Output): Promise<number> {
  const [source, ...extra] = args.positionals;
  if (source === undefined)
    throw new CliError('usage', 'export needs a run or checkpoint: selfsup export <run> [--encoder-only]');
  if (extra.length > 0) throw new CliError('usage', `unexpected argument '${extra[0]}'`);
  const found = await findModules(source);
  const encoderOnly = args.values['encoder-only'] === true;
  const out = resolve(stringFlag(args.values, 'out') ?? join(found.run ?? resolve(source), 'export'));
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new CliError('run', `--out ${out} exists and is not empty; choose a new directory (nothing was overwritten)`);
  }
  await initBackend({ log: false });
  const written: Record<string, string> = {};
  if (encoderOnly) {
    const dir = found.modules.encoder;
    if (dir === undefined) throw new CliError('run', `${source}: no encoder module to export`);
    const encoder = await loadEncoder(dir).catch((error: Error) => {
      throw new CliError('run', `${dir}: ${error.message}`);
    });
    await saveModule(encoder, out);
    encoder.dispose();
    written.encoder = out;
  } else {
    for (const [name, dir] of Object.entries(found.modules)) {
      const module = await loadModule(dir).catch((error: Error) => {
        throw new CliError('run', `${dir}: ${error.message}`);
      });
      await saveModule(module, join(out, name));
      module.dispose();
      written[name] = join(out, name);
    }
    if (found.run !== undefined && existsSync(runPaths(found.run).config)) {
      await mkdir(out, { recursive: true });
      await copyFile(runPaths(found.run).config, join(out, 'config.json'));
    }
  }
  // A text run's encoder reads token ids: its tokenizer goes with it.
  const tokenizer = found.run === undefined ? undefined : runPaths(found.run).tokenizer;
  if (tokenizer !== undefined && existsSync(tokenizer)) {
    const target = join(encoderOnly ? out : join(out, 'encoder'), 'tokenizer.json');
    await copyFile(tokenizer, target);
    written.tokenizer = target;
  }
  const encoderPath = written.encoder;
  output.result({
    source: found.checkpoint ?? resolve(source),
    out,
    modules: written,
    load: encoderPath === undefined ? null : `await loadEncoder('${encoderPath}')`,
  });
  for (const [name, dir] of Object.entries(written)) output.print(`${name.padEnd(16)} ${dir}`);
  if (encoderPath !== undefined) {
    output.print(
      `\nload it with:\n  import { loadEncoder } from '@selfsup/models';\n  const encoder = await loadEncoder('${encoderPath}');`,
    );
    if (written.tokenizer !== undefined) {
      output.print(
        `  // token ids for it:\n  import { loadTokenizer } from '@selfsup/text';\n  const tokenizer = await loadTokenizer('${written.tokenizer}');`,
      );
    }
  }
  return EXIT_CODES.ok;
}
