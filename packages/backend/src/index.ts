/**
 * @selfsup/backend — the one TensorFlow.js engine every selfsup package computes on.
 *
 * Other packages import `tf` and tensor types from here, never from `@tensorflow/*`, so a process
 * holds exactly one tfjs-core engine.
 */

export type {
  DataType,
  NamedTensorMap,
  Rank,
  Scalar,
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  Tensor5D,
  TensorContainer,
  TensorLike,
  Variable,
} from '@tensorflow/tfjs';
export * as tf from '@tensorflow/tfjs';
export { fileSystemIOHandler, registerFileSystemRouter } from '#file-system-io';
export {
  BACKEND_PROVIDERS,
  BACKEND_REQUEST_DESCRIPTIONS,
  BACKEND_REQUESTS,
  type BackendProvider,
  type BackendRequest,
  installedBackends,
} from './backend-requests.js';
export {
  availableBackends,
  type BackendInfo,
  type BackendName,
  type InitBackendOptions,
  initBackend,
  type SkippedBackend,
} from './init-backend.js';
export { ADJUST_HUE } from './kernels/adjust-hue.js';
export {
  ADDED_WASM_KERNELS,
  REPLACED_WASM_KERNELS,
  registerWasmTrainingKernels,
  wasmTrainingKernelsRegistered,
} from './kernels/wasm-training-kernels.js';
export { assertNoTensorLeak, measureTensorLeak, type TensorLeakReport } from './memory.js';
export { type BatchNormTrainingOptions, batchNormTraining } from './ops/batch-norm-training.js';
export { rowLogSumExp } from './ops/row-log-sum-exp.js';
export { readScalars } from './read-scalars.js';
export { createRng, type Rng, type RngState } from './rng.js';
export type { SameExports } from './same-exports.js';
export { variableFromTensor } from './variable-from-tensor.js';
