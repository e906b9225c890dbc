import { SIMD_KERNELS_PLAIN_BASE64, SIMD_KERNELS_SHARED_BASE64 } from './simd-kernels-wasm.js';

/**
 * selfsup's AssemblyScript SIMD kernels (see `assembly/`), instantiated inside tfjs-backend-wasm's
 * own memory: pointers are byte offsets of tensors on the tfjs heap, sizes and strides are in
 * elements.
 */
export interface SimdKernels {
  transposePlanes(
    src: number,
    dst: number,
    rows: number,
    cols: number,
    srcRowStride: number,
    dstRowStride: number,
    batch: number,
    srcBatchStride: number,
    dstBatchStride: number,
  ): void;
  copyChunks(src: number, dst: number, count: number, chunk: number, srcStride: number, dstStride: number): void;
  fillZero(dst: number, count: number): void;
  gatherChunks(
    src: number,
    dst: number,
    indices: number,
    count: number,
    chunk: number,
    outer: number,
    srcOuterStride: number,
    dstOuterStride: number,
  ): void;
  repeatChunks(src: number, dst: number, outer: number, chunk: number, reps: number): void;
  sumLeading(src: number, rows: number, cols: number, dst: number, scratch: number, scale: number): void;
  channelMoments(x: number, rows: number, channels: number, mean: number, variance: number, scratch: number): void;
  normalizeChannels(
    x: number,
    rows: number,
    channels: number,
    mean: number,
    scale: number,
    shift: number,
    relu: number,
    y: number,
  ): void;
  batchNormGradSums(
    dy: number,
    x: number,
    y: number,
    rows: number,
    channels: number,
    mean: number,
    relu: number,
    sumG: number,
    sumGCentered: number,
    scratch: number,
  ): void;
  batchNormGradInput(
    dy: number,
    x: number,
    y: number,
    rows: number,
    channels: number,
    mean: number,
    a: number,
    b: number,
    k: number,
    relu: number,
    dx: number,
  ): void;
  cropResizeBilinear(
    images: number,
    height: number,
    width: number,
    channels: number,
    boxes: number,
    boxIndex: number,
    boxCount: number,
    cropHeight: number,
    cropWidth: number,
    extrapolation: number,
    out: number,
  ): void;
  adjustHue(src: number, images: number, pixels: number, shifts: number, dst: number): void;
  maxPoolGrad(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    channels: number,
    height: number,
    width: number,
    outHeight: number,
    outWidth: number,
    strideH: number,
    strideW: number,
    dilationH: number,
    dilationW: number,
    effectiveFilterH: number,
    effectiveFilterW: number,
    padTop: number,
    padLeft: number,
  ): void;
  scatterStrided(
    src: number,
    batch: number,
    rows: number,
    cols: number,
    channels: number,
    dst: number,
    height: number,
    width: number,
    strideH: number,
    strideW: number,
    offsetH: number,
    offsetW: number,
  ): void;
}

/** The parts of the Emscripten module inside tfjs's BackendWasm that the SIMD kernels need. */
export interface EmscriptenModuleLike {
  asm?: { memory?: WebAssembly.Memory };
  wasmMemory?: WebAssembly.Memory;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const compiled: { plain?: WebAssembly.Module; shared?: WebAssembly.Module } = {};
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();

/** The memory of tfjs's wasm module (exported by the plain build, imported by the threaded one). */
export function wasmMemoryOf(module: EmscriptenModuleLike): WebAssembly.Memory {
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error('selfsup SIMD kernels: cannot find the memory of the tfjs wasm module');
  }
  return memory;
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/**
 * Compiles the SIMD kernels (asynchronously, so browsers allow it on the main thread). `initBackend`
 * calls this before the kernels are first used.
 */
export async function compileSimdKernels(): Promise<void> {
  compiled.plain ??= await WebAssembly.compile(decodeBase64(SIMD_KERNELS_PLAIN_BASE64) as Uint8Array<ArrayBuffer>);
  compiled.shared ??= await WebAssembly.compile(decodeBase64(SIMD_KERNELS_SHARED_BASE64) as Uint8Array<ArrayBuffer>);
}

/** The SIMD kernels bound to the memory of tfjs's wasm module. */
export function simdKernelsFor(module: EmscriptenModuleLike): SimdKernels {
  const memory = wasmMemoryOf(module);
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    const shared = isShared(memory);
    const compiledModule = shared ? compiled.shared : compiled.plain;
    if (compiledModule === undefined) {
      throw new Error('selfsup SIMD kernels are not compiled yet: call initBackend() first');
    }
    const instance = new WebAssembly.Instance(compiledModule, { env: { memory } });
    kernels = instance.exports as unknown as SimdKernels;
    instances.set(memory, kernels);
  }
  return kernels;
}
