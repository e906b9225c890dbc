import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const FILE_SCHEME = 'file://';

function stripScheme(url: string): string {
  return url.startsWith(FILE_SCHEME) ? url.slice(FILE_SCHEME.length) : url;
}

/**
 * A tfjs `IOHandler` for the local file system with tfjs-node's conventions: saving to a directory
 * writes `model.json` (topology + weights manifest) and `weights.bin`, atomically (a sibling
 * staging directory renamed into place); loading reads `…/model.json` and the weight files its
 * manifest names. Used for `file://` URLs when tfjs-node (which has its own) is not installed.
 *
 * @example await model.save('file://runs/classifier'); await tf.loadLayersModel('file://runs/classifier/model.json');
 */
export function fileSystemIOHandler(url: string): tf.io.IOHandler {
  const path = stripScheme(url);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer)
        throw new Error(`file:// save of ${path}: binary topologies are not supported`);
      const weights =
        artifacts.weightData === undefined
          ? new Uint8Array(0)
          : new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const { weightData: _weights, weightSpecs, ...rest } = artifacts;
      const modelJson = { ...rest, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs ?? [] }] };
      const parent = dirname(path);
      await mkdir(parent, { recursive: true });
      const staging = join(parent, `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
      await mkdir(staging);
      await writeFile(join(staging, 'model.json'), JSON.stringify(modelJson));
      await writeFile(join(staging, 'weights.bin'), weights);
      const retired = `${staging}.old`;
      let hadOld = false;
      try {
        await rename(path, retired);
        hadOld = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      await rename(staging, path);
      if (hadOld) await rm(retired, { recursive: true, force: true });
      return {
        modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({
          ...artifacts,
          weightData: weights.buffer as ArrayBuffer,
        }),
      };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.endsWith('.json') ? path : join(path, 'model.json');
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(await readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new Error(
          `file:// load of ${jsonPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths.map((p) => readFile(join(dirname(jsonPath), p)))),
        );
        const specs = manifest.flatMap((group) => group.weights);
        const total = buffers.reduce((n, b) => n + b.length, 0);
        const joined = new Uint8Array(total);
        let offset = 0;
        for (const buffer of buffers) {
          joined.set(buffer, offset);
          offset += buffer.length;
        }
        return [specs, joined.buffer];
      });
    },
  };
}

let registered = false;

/**
 * Makes `file://` URLs work for `model.save` and `tf.loadLayersModel`/`loadGraphModel` without
 * tfjs-node: registers {@link fileSystemIOHandler} as the save and load router for the scheme,
 * unless one is registered already (tfjs-node's). `initBackend` calls it.
 */
export function registerFileSystemRouter(): void {
  if (registered) return;
  registered = true;
  const probe = `${FILE_SCHEME}/selfsup-probe`;
  // tfjs routers return null for URLs they do not handle (its IORouter type omits that).
  const router = ((url: string | string[]) =>
    typeof url === 'string' && url.startsWith(FILE_SCHEME) ? fileSystemIOHandler(url) : null) as Parameters<
    typeof tf.io.registerSaveRouter
  >[0];
  if (tf.io.getSaveHandlers(probe).length === 0) tf.io.registerSaveRouter(router);
  if (tf.io.getLoadHandlers(probe).length === 0) tf.io.registerLoadRouter(router);
}
