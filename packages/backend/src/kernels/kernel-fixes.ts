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
 * A correction that runs the original kernel one sample at a time (batch 1 is what the original
 * gets right) and concatenates the results. `batched` names the inputs split along axis 0; an
 * input of batch 1 (a transform shared by all samples) is passed whole.
 */
function perSample(kernelName: string, wrong: string, batched: readonly string[]): KernelFix {
  return {
    kernelName,
    wrong,
    replace: (original, backendName) => (args) => {
      const inputs = args.inputs as Record<string, tf.TensorInfo>;
      const backend = args.backend as BackendLike;
      const batch = (inputs[batched[0] as string] as tf.TensorInfo).shape[0] as number;
      const slice = tf.getKernel(tf.Slice, backendName)?.kernelFunc;
      const concat = tf.getKernel(tf.Concat, backendName)?.kernelFunc;
      if (batch <= 1 || slice === undefined || concat === undefined) return original(args);
      const made: tf.TensorInfo[] = [];
      const keep = (info: tf.TensorInfo | tf.TensorInfo[]) => {
        made.push(info as tf.TensorInfo);
        return info as tf.TensorInfo;
      };
      const sample = (x: tf.TensorInfo, b: number) =>
        x.shape[0] === 1
          ? x
          : keep(
              slice({
                inputs: { x },
                backend,
                attrs: {
                  begin: x.shape.map((_, axis) => (axis === 0 ? b : 0)),
                  size: x.shape.map((_, axis) => (axis === 0 ? 1 : -1)),
                },
              }),
            );
      try {
        const parts = Array.from({ length: batch }, (_, b) => {
          const sliced = Object.fromEntries(
            Object.entries(inputs).map(([name, x]) => [name, batched.includes(name) ? sample(x, b) : x]),
          );
          return keep(original({ inputs: sliced, backend, attrs: args.attrs }));
        });
        return concat({
          inputs: parts as unknown as tf.NamedTensorInfoMap,
          backend,
          attrs: { axis: 0 },
        }) as tf.TensorInfo;
      } finally {
        for (const info of made) backend.disposeData(info.dataId);
      }
    },
  };
}

/**
 * `ResizeNearestNeighborGrad` on cpu reads dy at the images' batch offset (`b · H·W·C` of the
 * input, not of dy), so every sample after the first gets another sample's gradient or zeros.
 */
const resizeNearestNeighborGradPerSample = perSample(
  tf.ResizeNearestNeighborGrad,
  "reads dy at the images' batch stride: wrong for batch > 1",
  ['images', 'dy'],
);

/**
 * `Transform` (`tf.image.transform`) on cpu returns from inside its loop over the batch: every
 * sample after the first is left at the fill value.
 */
const transformPerSample = perSample(tf.Transform, 'returns after the first sample: the others are the fill value', [
  'image',
  'transforms',
]);

/**
 * Inputs one WebGPU `AddN` may take: each input and the output is a storage buffer, and a shader
 * stage may bind 8 (WebGPU's default `maxStorageBuffersPerShaderStage`).
 */
const WEBGPU_ADD_N_INPUTS = 7;

/**
 * `AddN` on webgl splits many inputs itself but leaks its partial sums (4 buffers for 20 inputs);
 * `AddN` on webgpu binds every input at once: with more inputs than a shader stage may bind, the
 * pipeline is invalid and the result reads back as zeros (an addN over a model's gradients). The
 * fix adds at most {@link WEBGPU_ADD_N_INPUTS} at a time, then adds the partial sums.
 */
const addNInChunks: KernelFix = {
  kernelName: tf.AddN,
  wrong: `more than ${WEBGPU_ADD_N_INPUTS} inputs make an invalid pipeline: the sum reads back as zeros`,
  replace: (original) => (args) => {
    const backend = args.backend as BackendLike;
    let inputs = args.inputs as unknown as tf.TensorInfo[];
    const made: tf.TensorInfo[] = [];
    try {
      while (inputs.length > WEBGPU_ADD_N_INPUTS) {
        const partial: tf.TensorInfo[] = [];
        for (let start = 0; start < inputs.length; start += WEBGPU_ADD_N_INPUTS) {
          const chunk = inputs.slice(start, start + WEBGPU_ADD_N_INPUTS);
          const sum =
            chunk.length === 1
              ? (chunk[0] as tf.TensorInfo)
              : (original({ inputs: chunk as unknown as tf.NamedTensorInfoMap, backend, attrs: {} }) as tf.TensorInfo);
          if (chunk.length > 1) made.push(sum);
          partial.push(sum);
        }
        inputs = partial;
      }
      return original({ inputs: inputs as unknown as tf.NamedTensorInfoMap, backend, attrs: {} });
    } finally {
      for (const info of made) backend.disposeData(info.dataId);
    }
  },
};

/**
 * The kernels selfsup corrects, per backend, found by running every training op's value and
 * gradient against cpu (`src/testing/training-op-cases.ts`) and, for cpu itself, against the same
 * op written with `gather`. On WebGPU, `AddN` of many inputs (found training through `pretrain`). `initBackend` registers them for
 * the backend it starts, always (they are corrections, not options).
 */
export const KERNEL_FIXES: Readonly<Record<'cpu' | 'webgl' | 'webgpu', readonly KernelFix[]>> = {
  cpu: [resizeNearestNeighborGradPerSample, transformPerSample],
  webgl: [cropAndResizeByBoxIndex, addNInChunks],
  webgpu: [addNInChunks],
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
