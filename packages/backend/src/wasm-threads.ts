/** The parts of `@tensorflow/tfjs-backend-wasm` that thread set-up uses. */
export interface WasmBackendModule {
  setThreadsCount(threads: number): void;
}

/**
 * Prepares the wasm backend to start with `threads` threads. Must run before
 * `tf.setBackend('wasm')`.
 *
 * @throws while the threaded build is not supported here.
 */
export async function prepareWasmThreads(wasm: WasmBackendModule, threads: number): Promise<void> {
  if (threads === 1) return;
  void wasm;
  throw new Error(`wasm threads: ${threads} threads are not supported yet`);
}
