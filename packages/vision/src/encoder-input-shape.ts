import type { TaskEncoder } from '@selfsup/pretext';

/**
 * The per-example input shape [H, W, C] an encoder declares (`@selfsup/models`' encoders do), for
 * tasks that size a decoder from it.
 * @throws naming the task when the encoder does not declare one.
 */
export function encoderInputShape(encoder: TaskEncoder, taskId: string): [number, number, number] {
  const shape = (encoder as TaskEncoder & { inputShape?: readonly number[] }).inputShape;
  if (shape === undefined || shape.length !== 3 || shape.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new Error(
      `${taskId}: the encoder must declare its inputShape [height, width, channels] (as @selfsup/models' encoders do); got ${shape === undefined ? 'none' : `[${shape}]`}`,
    );
  }
  return [shape[0] as number, shape[1] as number, shape[2] as number];
}
