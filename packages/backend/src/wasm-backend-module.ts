/**
 * The most threads tfjs-backend-wasm 4.22's threaded SIMD build can run: Emscripten pre-starts 8
 * pthread workers (`PTHREAD_POOL_SIZE`) and the C++ side caps its pool at 8 (`max_num_threads`).
 */
export const MAX_WASM_THREADS = 8;

/** The parts of `@tensorflow/tfjs-backend-wasm` that backend set-up uses. */
export interface WasmBackendModule {
  setThreadsCount(threads: number): void;
  /** Threads of the started backend; throws while the backend has not started. */
  getThreadsCount(): number;
  /** Where the `.wasm` binaries are served (a prefix ending in `/`, or a file-name → URL map). */
  setWasmPaths(prefixOrFileMap: string | Record<string, string>, usePlatformFetch?: boolean): void;
}
