import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-webgpu's `WebGPUBackend` the guard uses. */
interface WebgpuBackendLike {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  tensorMap?: { get(dataId: tf.DataId): { values?: unknown; dtype?: tf.DataType } | undefined };
  adapterInfo?: { vendor?: string; architecture?: string };
}

/**
 * Why `dataSync()`/`arraySync()` cannot read a tensor computed on webgpu here, or `undefined` when
 * they can. tfjs-backend-webgpu reads synchronously by copying the buffer into an
 * `OffscreenCanvas` and drawing that into a 2-D canvas: Node (Dawn) has no `OffscreenCanvas`, and
 * Chromium's SwiftShader adapter returns zeros that way or loses the device.
 */
export function webgpuSyncReadProblem(backend: WebgpuBackendLike): string | undefined {
  if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === 'undefined') {
    return "there is no OffscreenCanvas, which tfjs-backend-webgpu's synchronous read goes through (Node with Dawn)";
  }
  if (backend.adapterInfo?.architecture === 'swiftshader') {
    return "the SwiftShader adapter returns zeros, or loses the device, through the canvas tfjs-backend-webgpu's synchronous read goes through";
  }
  return undefined;
}

const guarded = new WeakSet<object>();

/**
 * Where synchronous reads of webgpu tensors cannot work ({@link webgpuSyncReadProblem}), makes
 * them throw an error that names the asynchronous read, instead of returning zeros or failing
 * deep inside tfjs. Values still held on the CPU (a tensor made from an array) read as before.
 * Once per backend instance; `initBackend` calls it after webgpu starts.
 */
export function guardWebgpuSyncReads(): void {
  const backend = tf.findBackend('webgpu') as unknown as WebgpuBackendLike | null;
  if (backend === null || guarded.has(backend)) return;
  guarded.add(backend);
  const problem = webgpuSyncReadProblem(backend);
  if (problem === undefined) return;
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId) => {
    const data = backend.tensorMap?.get(dataId);
    if (data !== undefined && (data.values != null || data.dtype === 'string')) return readSync(dataId);
    throw new Error(
      `selfsup: dataSync()/arraySync() cannot read a webgpu tensor here: ${problem}. Read it with await tensor.data() or await tensor.array().`,
    );
  };
}
