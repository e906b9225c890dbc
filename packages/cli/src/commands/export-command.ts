import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Encoder } from '@selfsup/models';
import { runPaths } from '@selfsup/trainer/run-paths';
import { type ParsedArguments, stringFlag } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import { findModules } from '../run/find-modules.js';

/** Frames per sequence of a video run (from its config.json); undefined for other runs. */
function videoFramesOf(run: string | undefined): number | undefined {
  if (run === undefined || !existsSync(runPaths(run).config)) return undefined;
  try {
    const config = JSON.parse(readFileSync(runPaths(run).config, 'utf8')) as {
      data?: { kind?: string; frames?: number };
    };
    return config.data?.kind === 'video-folder' ? config.data.frames : undefined;
  } catch {
    return undefined;
  }
}

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
  // Loading and saving the modules computes: tfjs loads from here on.
  const [{ initBackend }, { loadEncoder, loadModule, saveModule }, { clipEncoderOf }] = await Promise.all([
    import('@selfsup/backend'),
    import('@selfsup/models'),
    import('../run/clip-encoder.js'),
  ]);
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
    const frames = videoFramesOf(found.run);
    for (const [name, dir] of Object.entries(found.modules)) {
      const module = await loadModule(dir).catch(async (error: Error) => {
        // A head a task package builds (a jigsaw tile classifier, an image decoder) is not a kind
        // loadModule knows: its files go out as they are (load them with loadModuleWeights).
        if (/is not a module kind/.test(error.message)) return undefined;
        throw new CliError('run', `${dir}: ${error.message}`);
      });
      if (module === undefined) {
        await cp(dir, join(out, name), { recursive: true });
        written[name] = join(out, name);
        output.log(`${name}: copied as saved (its kind is built by its task's package; loadModuleWeights loads it)`);
        continue;
      }
      await saveModule(module, join(out, name));
      written[name] = join(out, name);
      // A video run's frame encoder also goes out as an encoder of whole frame sequences.
      if (name === 'encoder' && frames !== undefined) {
        await saveModule(clipEncoderOf(module as Encoder, frames), join(out, 'clip-encoder'));
        written['clip-encoder'] = join(out, 'clip-encoder');
      }
      module.dispose();
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
    const frames = videoFramesOf(found.run);
    if (frames !== undefined && written['clip-encoder'] === undefined) {
      output.print(
        `  // whole frame sequences [N, ${frames}, H, W, C]:\n  import { createFrameStackEncoder } from '@selfsup/models';\n  const clips = createFrameStackEncoder({ frameEncoder: encoder, frames: ${frames}, pooling: 'mean' });`,
      );
    }
    if (written.tokenizer !== undefined) {
      output.print(
        `  // token ids for it:\n  import { loadTokenizer } from '@selfsup/text';\n  const tokenizer = await loadTokenizer('${written.tokenizer}');`,
      );
    }
  }
  return EXIT_CODES.ok;
}
