import * as tf from '@tensorflow/tfjs-core';

/** The parts of a JS-side backend (cpu, webgl, webgpu) a corrected kernel uses. */
interface BackendLike extends tf.KernelBackend {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeIntermediateTensorInfo(info: tf.TensorInfo): void;
}

/** A tfjs 4.22 kernel that computes a wrong result, and selfsup's correction. */
export interface KernelFix {
  kernelName: string;
  /** What the backend's own kernel gets wrong. */
  wrong: string;
  /** The corrected kernel; `original` is the backend's own, for the work it does right. */
  replace: (original: tf.KernelFunc, backendName: string) => tf.KernelFunc;
}

/**
 * `CropAndResize` on webgl: the shader samples image `b` for box `b` (`getImage(b, …)`) and ignores
 * `boxInd`, so a box of another image, or more boxes than images, crops the wrong picture. The fix
 * gathers each box's image first and hands the original the identity indices.
 */
const cropAndResizeByBoxIndex: KernelFix = {
  kernelName: tf.CropAndResize,
  wrong: 'ignores boxInd: box b crops image b',
  replace: (original, backendName) => (args) => {
    const { image, boxes, boxInd } = args.inputs as {
      image: tf.TensorInfo;
      boxes: tf.TensorInfo;
      boxInd: tf.TensorInfo;
    };
    const backend = args.backend as BackendLike;
    const count = boxes.shape[0] as number;
    const gather = tf.getKernel(tf.GatherV2, backendName)?.kernelFunc;
    if (count === 0 || gather === undefined) return original(args);
    const images = gather({
      inputs: { x: image, indices: boxInd },
      backend,
      attrs: { axis: 0, batchDims: 0 },
    }) as tf.TensorInfo;
    const identity = backend.makeTensorInfo(
      [count],
      'int32',
      Int32Array.from({ length: count }, (_, i) => i),
    );
    try {
      return original({ inputs: { image: images, boxes, boxInd: identity }, backend, attrs: args.attrs });
    } finally {
      backend.disposeIntermediateTensorInfo(images);
      backend.disposeIntermediateTensorInfo(identity);
    }
  },
};

/**
 * `ResizeNearestNeighborGrad` on cpu reads dy at the images' batch offset (`b · H·W·C` of the
 * input, not of dy), so every sample after the first gets another sample's gradient or zeros. The
 * fix runs the original one sample at a time, where both offsets are 0.
 */
const resizeNearestNeighborGradPerSample: KernelFix = {
  kernelName: tf.ResizeNearestNeighborGrad,
  wrong: "reads dy at the images' batch stride: wrong for batch > 1",
  replace: (original, backendName) => (args) => {
    const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const backend = args.backend as BackendLike;
    const batch = images.shape[0] as number;
    const slice = tf.getKernel(tf.Slice, backendName)?.kernelFunc;
    const concat = tf.getKernel(tf.Concat, backendName)?.kernelFunc;
    if (batch <= 1 || slice === undefined || concat === undefined) return original(args);
    const made: tf.TensorInfo[] = [];
    const sample = (x: tf.TensorInfo, b: number) => {
      const info = slice({
        inputs: { x },
        backend,
        attrs: { begin: [b, 0, 0, 0], size: [1, -1, -1, -1] },
      }) as tf.TensorInfo;
      made.push(info);
      return info;
    };
    try {
      const parts = Array.from({ length: batch }, (_, b) => {
        const part = original({ inputs: { images: sample(images, b), dy: sample(dy, b) }, backend, attrs: args.attrs });
        made.push(part as tf.TensorInfo);
        return part as tf.TensorInfo;
      });
      return concat({
        inputs: parts as unknown as tf.NamedTensorInfoMap,
        backend,
        attrs: { axis: 0 },
      }) as tf.TensorInfo;
    } finally {
      for (const info of made) backend.disposeIntermediateTensorInfo(info);
    }
  },
};

/**
 * The kernels selfsup corrects, per backend, found by running every training op's value and
 * gradient against cpu (`src/testing/training-op-cases.ts`) and, for cpu itself, against the same
 * op written with `gather`. WebGPU needs none: every op matches. `initBackend` registers them for
 * the backend it starts, always (they are corrections, not options).
 */
export const KERNEL_FIXES: Readonly<Record<'cpu' | 'webgl' | 'webgpu', readonly KernelFix[]>> = {
  cpu: [resizeNearestNeighborGradPerSample],
  webgl: [cropAndResizeByBoxIndex],
  webgpu: [],
};

const registered = new Set<string>();

/**
 * Replaces the kernels {@link KERNEL_FIXES} lists for `backendName`, once per process, keeping each
 * original's setup and dispose functions.
 *
 * @throws if the backend lacks a kernel it should correct (a tfjs other than 4.22).
 */
export function registerKernelFixes(backendName: 'cpu' | 'webgl' | 'webgpu'): void {
  if (registered.has(backendName)) return;
  for (const fix of KERNEL_FIXES[backendName]) {
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
