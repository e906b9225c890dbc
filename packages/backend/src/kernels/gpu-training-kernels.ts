import * as tf from '@tensorflow/tfjs-core';

/** The parts of a GPU backend (`MathBackendWebGL`, `WebGPUBackend`) a composed kernel uses. */
interface GpuBackendLike extends tf.KernelBackend {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeIntermediateTensorInfo(info: tf.TensorInfo): void;
}

/** A kernel selfsup replaces on a GPU backend, and why. */
export interface GpuKernelFix {
  kernelName: string;
  /** What is wrong with the backend's own kernel (tfjs 4.22). */
  reason: string;
  /** The corrected kernel; `original` is the backend's own, for the work it does right. */
  replace: (original: tf.KernelFunc, backendName: string) => tf.KernelFunc;
}

/**
 * `CropAndResize` on webgl samples image `b` for box `b` and ignores `boxInd` (its shader reads
 * `getImage(b, …)`), so any box of another image, or more boxes than images, crops the wrong
 * picture. The fix gathers each box's image first and hands the original identity indices.
 */
const cropAndResizeByBoxIndex: GpuKernelFix = {
  kernelName: tf.CropAndResize,
  reason: 'ignores boxInd: box b crops image b',
  replace: (original, backendName) => (args) => {
    const { image, boxes, boxInd } = args.inputs as {
      image: tf.TensorInfo;
      boxes: tf.TensorInfo;
      boxInd: tf.TensorInfo;
    };
    const backend = args.backend as GpuBackendLike;
    const count = boxes.shape[0] as number;
    const gather = tf.getKernel(tf.GatherV2, backendName)?.kernelFunc;
    if (count === 0 || gather === undefined) return original(args);
    const images = gather({ inputs: { x: image, indices: boxInd }, backend, attrs: { axis: 0, batchDims: 0 } });
    const identity = backend.makeTensorInfo(
      [count],
      'int32',
      Int32Array.from({ length: count }, (_, i) => i),
    );
    try {
      return original({
        inputs: { image: images as tf.TensorInfo, boxes, boxInd: identity },
        backend,
        attrs: args.attrs,
      });
    } finally {
      backend.disposeIntermediateTensorInfo(images as tf.TensorInfo);
      backend.disposeIntermediateTensorInfo(identity);
    }
  },
};

/**
 * Kernels selfsup corrects on each GPU backend, found by running every training op's value and
 * gradient against cpu (`src/testing/training-op-cases.ts`). WebGPU needs none: every op matches.
 */
export const GPU_KERNEL_FIXES: Readonly<Record<'webgl' | 'webgpu', readonly GpuKernelFix[]>> = {
  webgl: [cropAndResizeByBoxIndex],
  webgpu: [],
};

const registered = new Set<string>();

/**
 * Replaces the kernels {@link GPU_KERNEL_FIXES} lists for `backendName`, once per process, keeping
 * each original's setup and dispose functions. `initBackend` calls it after the backend starts.
 *
 * @throws if the backend lacks a kernel it should correct (another tfjs version than 4.22).
 */
export function registerGpuTrainingKernels(backendName: 'webgl' | 'webgpu'): void {
  if (registered.has(backendName)) return;
  for (const fix of GPU_KERNEL_FIXES[backendName]) {
    const original = tf.getKernel(fix.kernelName, backendName);
    if (original === undefined) {
      throw new Error(
        `selfsup: the ${backendName} backend has no ${fix.kernelName} kernel to correct; is tfjs-backend-${backendName} 4.22 installed?`,
      );
    }
    tf.unregisterKernel(fix.kernelName, backendName);
    tf.registerKernel({ ...original, kernelFunc: fix.replace(original.kernelFunc, backendName) });
  }
  registered.add(backendName);
}
