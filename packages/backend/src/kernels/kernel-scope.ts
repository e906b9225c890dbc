import * as tf from '@tensorflow/tfjs-core';
import { type EmscriptenModuleLike, type SimdKernels, simdKernelsFor } from './simd/simd-kernels.js';

/** The parts of tfjs-backend-wasm's `BackendWasm` that composed kernels use. */
export interface WasmBackendLike extends tf.KernelBackend {
  wasm: EmscriptenModuleLike;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  getMemoryOffset(dataId: tf.DataId): number;
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: tf.backend_util.BackendValues,
  ): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: tf.DataId): void;
}

type KernelInputs = Record<string, tf.TensorInfo>;
type KernelAttrs = Record<string, unknown>;

/**
 * Runs raw kernels of one backend and frees every intermediate result it made, so a composed
 * kernel leaks nothing. Only the result passed to `keep` survives `dispose()`.
 *
 * The wasm backend does not free kernel outputs by itself when they are not wrapped in tensors;
 * even a `Reshape` output holds a reference on its input's buffer and must be freed.
 */
export class KernelScope {
  private readonly made: tf.TensorInfo[] = [];
  private readonly kept = new Set<tf.TensorInfo>();

  constructor(
    readonly backend: WasmBackendLike,
    private readonly kernels: ReadonlyMap<string, tf.KernelFunc> = new Map(),
  ) {}

  /** Runs kernel `name` (an override given to the constructor first, else the registered one). */
  run(name: string, inputs: KernelInputs, attrs: KernelAttrs = {}): tf.TensorInfo {
    const kernelFunc = this.kernels.get(name) ?? tf.getKernel(name, backendName)?.kernelFunc;
    if (kernelFunc === undefined) {
      throw new Error(`selfsup wasm kernels: the ${backendName} backend has no ${name} kernel to compose with`);
    }
    const out = kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap,
      backend: this.backend,
      attrs: attrs as tf.NamedAttrMap,
    });
    if (Array.isArray(out)) {
      throw new Error(`selfsup wasm kernels: ${name} returned several outputs; compose only single-output kernels`);
    }
    this.made.push(out);
    return out;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run(tf.Reshape, { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run(tf.Transpose, { x }, { perm });
  }

  pad(x: tf.TensorInfo, paddings: Array<[number, number]>, constantValue = 0): tf.TensorInfo {
    return this.run(tf.PadV2, { x }, { paddings, constantValue });
  }

  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    return this.run(tf.Slice, { x }, { begin, size });
  }

  reverse(x: tf.TensorInfo, dims: number[]): tf.TensorInfo {
    return this.run(tf.Reverse, { x }, { dims });
  }

  cast(x: tf.TensorInfo, dtype: tf.DataType): tf.TensorInfo {
    return this.run(tf.Cast, { x }, { dtype });
  }

  /**
   * Pads (positive amounts) and crops (negative amounts) each axis, so callers can ask for a
   * window that starts before or ends past the data.
   */
  padOrCrop(x: tf.TensorInfo, amounts: Array<[number, number]>): tf.TensorInfo {
    let result = x;
    if (amounts.some(([before, after]) => before < 0 || after < 0)) {
      const begin = amounts.map(([before]) => Math.max(0, -before));
      const size = amounts.map(
        ([before, after], axis) => (x.shape[axis] as number) - Math.max(0, -before) - Math.max(0, -after),
      );
      result = this.slice(result, begin, size);
    }
    if (amounts.some(([before, after]) => before > 0 || after > 0)) {
      result = this.pad(
        result,
        amounts.map(([before, after]) => [Math.max(0, before), Math.max(0, after)]),
      );
    }
    return result;
  }

  /** selfsup's SIMD kernels, bound to this backend's memory. */
  get simd(): SimdKernels {
    return simdKernelsFor(this.backend.wasm);
  }

  /** The heap byte offset of a tensor's data, for the SIMD kernels. */
  offset(info: tf.TensorInfo): number {
    return this.backend.getMemoryOffset(info.dataId);
  }

  /** A new uninitialized output tensor owned by the scope. */
  output(shape: number[], dtype: tf.DataType = 'float32'): tf.TensorInfo {
    return this.track(this.backend.makeOutput(shape, dtype));
  }

  /**
   * Runs `body` with a scratch block of `bytes` bytes on the wasm heap (8-byte aligned) and frees
   * it afterwards.
   */
  withScratch<T>(bytes: number, body: (pointer: number) => T): T {
    const pointer = this.backend.wasm._malloc(Math.max(8, bytes));
    try {
      return body(pointer);
    } finally {
      this.backend.wasm._free(pointer);
    }
  }

  /** Takes ownership of a result made outside `run` (e.g. by `backend.makeOutput`). */
  track(info: tf.TensorInfo): tf.TensorInfo {
    this.made.push(info);
    return info;
  }

  /** A float32 scalar owned by the scope. */
  scalar(value: number): tf.TensorInfo {
    return this.track(this.backend.makeOutput([], 'float32', undefined, new Float32Array([value])));
  }

  /** Frees an intermediate before the scope ends (to bound peak memory in loops). */
  release(info: tf.TensorInfo): void {
    const index = this.made.indexOf(info);
    if (index < 0) throw new Error('selfsup wasm kernels: release() of a tensor the scope did not make');
    this.made.splice(index, 1);
    this.backend.disposeData(info.dataId);
  }

  /**
   * Marks `result` as the kernel's output: `dispose()` will not free it. A result the scope did
   * not make (an input passed through) gets its own reference, as tfjs's identity kernels do.
   */
  keep(result: tf.TensorInfo): tf.TensorInfo {
    if (!this.made.includes(result)) {
      this.backend.incRef(result.dataId);
      return { dataId: result.dataId, shape: [...result.shape], dtype: result.dtype };
    }
    this.kept.add(result);
    return result;
  }

  /** Frees every intermediate made through this scope except the kept result. */
  dispose(): void {
    for (const info of this.made) {
      if (!this.kept.has(info)) this.backend.disposeData(info.dataId);
    }
    this.made.length = 0;
  }
}

const backendName = 'wasm';

/**
 * Wraps a composed kernel body: gives it a fresh scope, keeps its result, frees the rest even when
 * the body throws.
 */
export function composedKernel(
  body: (scope: KernelScope, args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo,
  overrides?: ReadonlyMap<string, tf.KernelFunc>,
): tf.KernelFunc {
  return (args) => {
    const scope = new KernelScope(args.backend as WasmBackendLike, overrides);
    try {
      return scope.keep(body(scope, args));
    } finally {
      scope.dispose();
    }
  };
}

/**
 * A kernel selfsup adds to the wasm backend, composed in a {@link KernelScope}
 * ({@link composedKernel}).
 */
export function wasmKernel(
  kernelName: string,
  body: (scope: KernelScope, args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo,
): tf.KernelConfig {
  return { kernelName, backendName, kernelFunc: composedKernel(body) };
}

/**
 * A kernel that replaces the wasm backend's own `kernelName`, composed in a {@link KernelScope}:
 * inside `body`, `scope.run(kernelName, …)` runs `original`, for the cases the replacement leaves
 * to it (other dtypes, shapes it does not speed up), not the replacement itself.
 */
export function replacementKernel(
  kernelName: string,
  original: tf.KernelFunc,
  body: (scope: KernelScope, args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo,
): tf.KernelConfig {
  return { kernelName, backendName, kernelFunc: composedKernel(body, new Map([[kernelName, original]])) };
}
