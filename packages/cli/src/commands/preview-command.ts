import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { augmentationPreview } from '@selfsup/augment';
import type { Tensor4D } from '@selfsup/backend';
import { validateOptions } from '@selfsup/pretext/option-schemas';
import {
  assignment,
  channelsFlag,
  integerFlag,
  listFlag,
  type ParsedArguments,
  sizeFlag,
  stringFlag,
} from '../arguments.js';
import { CliError } from '../cli-error.js';
import type { RunConfig } from '../config/config-schema.js';
import { formatPath } from '../config/format-issues.js';
import { type ConfigOverride, loadRunConfig } from '../config/load-config.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import { loadPlugins, resolvePluginPath } from '../plugins/load-plugins.js';
import { createRegistries } from '../registries/registries.js';

async function folderImages(dir: string, count: number, size: [number, number], channels: 1 | 3) {
  try {
    if (!(await stat(dir)).isDirectory()) throw new CliError('data', `--images ${dir} is not a folder`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('data', `--images ${dir} does not exist`);
  }
  const { imageFolderBatches } = await import('@selfsup/augment');
  const folder = imageFolderBatches(dir, { batchSize: count, size, channels, onError: 'skip' });
  let images: Tensor4D | undefined;
  try {
    for await (const batch of folder) {
      images = batch.images;
      break;
    }
  } catch (error) {
    throw new CliError('data', `--images ${dir}: ${(error as Error).message}`);
  }
  if (images === undefined) {
    throw new CliError(
      'data',
      `--images ${dir}: no readable images (${folder.report.skipped.length} unreadable skipped)`,
    );
  }
  return { images, skipped: folder.report.skipped };
}

/** `selfsup preview`: a PNG grid of input images and their augmented views. */
export async function previewCommand(args: ParsedArguments, output: Output): Promise<number> {
  const file = stringFlag(args.values, 'config');
  const preset = stringFlag(args.values, 'preset');
  if ((file === undefined) === (preset === undefined)) {
    throw new CliError('usage', 'preview needs either --preset <id> or --config <file>');
  }
  const count = integerFlag('count', stringFlag(args.values, 'count')) ?? 8;
  const views = integerFlag('views', stringFlag(args.values, 'views')) ?? 6;
  const seed = integerFlag('seed', stringFlag(args.values, 'seed'), Number.MIN_SAFE_INTEGER) ?? 0;
  const out = resolve(stringFlag(args.values, 'out') ?? 'preview.png');
  const registries = createRegistries();
  const plugins = listFlag(args.values, 'plugin');
  let config: RunConfig | undefined;
  if (file !== undefined) {
    const overrides: ConfigOverride[] = plugins.map((plugin) => ({ path: ['plugins'], value: plugin }));
    config = (
      await loadRunConfig({
        file,
        overrides,
        registries,
        log: output.log,
        trustPlugins: args.values['trust-plugins'] === true,
      })
    ).config;
  } else {
    // Plugins may make tensors when they register.
    if (plugins.length > 0) await (await import('@selfsup/backend')).initBackend({ log: false });
    await loadPlugins(
      plugins.map((plugin) => resolvePluginPath(plugin, process.cwd())),
      registries,
    );
  }
  const dataSize = config?.data.kind === 'image-folder' ? config.data.size : undefined;
  const size = sizeFlag('size', stringFlag(args.values, 'size')) ?? dataSize ?? [96, 96];
  const channels =
    channelsFlag(stringFlag(args.values, 'channels')) ??
    (config?.data.kind === 'idx' ? 1 : config?.data.kind === 'image-folder' ? config.data.channels : undefined) ??
    3;

  let images: Tensor4D;
  if (config !== undefined && (config.data.kind === 'text-corpus' || config.data.kind === 'video-folder')) {
    throw new CliError(
      'config',
      `${file}: data.kind '${config.data.kind}' has no image augmentations to preview (its task makes its own inputs)`,
    );
  }
  // A preview computes: tfjs loads from here on.
  const [{ augmentationPreview }, { initBackend, tf }, { embeddedFashionMnistDir, imageBatch, loadIdxImages }] =
    await Promise.all([import('@selfsup/augment'), import('@selfsup/backend'), import('@selfsup/data')]);
  const { ExperimentError, previewAugmentationOf } = await import('@selfsup/trainer');
  await initBackend({ log: false });
  let skipped: Array<{ path: string; reason: string }> = [];
  const imagesDir = stringFlag(args.values, 'images');
  const folder = imagesDir ?? (config?.data.kind === 'image-folder' ? config.data.path : undefined);
  if (folder !== undefined) {
    ({ images, skipped } = await folderImages(resolve(folder), count, size, channels));
  } else if (config?.data.kind === 'idx') {
    const set = await loadIdxImages({ split: 'train', dir: config.data.path ?? embeddedFashionMnistDir() });
    const batch = imageBatch(
      set,
      Array.from({ length: Math.min(count, set.count) }, (_, i) => i),
    );
    batch.labels.dispose();
    images = batch.images;
  } else {
    throw new CliError('usage', 'preview needs --images <folder>');
  }
  for (const file of skipped) output.log(`skipped ${file.path}: ${file.reason}`);

  const context = { size: [images.shape[1], images.shape[2]] as [number, number], channels: images.shape[3] as 1 | 3 };
  let pipeline: Parameters<typeof augmentationPreview>[1] | undefined;
  try {
    if (config !== undefined) {
      pipeline = await previewAugmentationOf(config, registries, context);
      if (pipeline === undefined)
        throw new CliError('config', `${file}: the run uses no augmentations; nothing to preview`);
    } else {
      const id = preset as string;
      if (!registries.augmentations.has(id)) {
        throw new CliError(
          'usage',
          `--preset: '${id}' is not an augmentation; known: ${registries.augmentations.ids().join(', ')}`,
        );
      }
      const entry = registries.augmentations.get(id);
      let options: Record<string, unknown> = {};
      for (const text of listFlag(args.values, 'set')) {
        const { path, value } = assignment('set', text);
        options[path.join('.')] = value;
      }
      if (entry.sized && options.size === undefined) options.size = context.size;
      if (entry.options !== undefined) {
        const checked = validateOptions(entry.options, options);
        if ('issues' in checked) {
          const lines = checked.issues.map((issue) => `--set ${formatPath(issue.path)}: ${issue.message}`);
          throw new CliError('config', `options of preset '${id}' are not valid:\n  ${lines.join('\n  ')}`, {
            issues: lines,
          });
        }
        options = checked.value;
      }
      const made = await entry.create(options, context);
      pipeline = made as Parameters<typeof augmentationPreview>[1];
    }
    const written = await augmentationPreview(images, pipeline, { out, views, seed });
    output.result({ ...written, preset: preset ?? config?.augmentations?.preset ?? null, skippedFiles: skipped });
    output.print(
      `${written.path}: ${written.rows} images × ${written.columns} columns (original, then views), ${written.width}×${written.height} px`,
    );
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (error instanceof ExperimentError) throw new CliError(error.reason, error.message, { cause: error });
    throw new CliError('config', `preview: ${(error as Error).message}`);
  } finally {
    tf.dispose(images);
  }
}
