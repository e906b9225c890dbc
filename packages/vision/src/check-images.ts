import type { Tensor } from '@selfsup/backend';

/**
 * Checks that a task got a float batch of images [N, H, W, C] with C in `channels`.
 * @throws naming the task, what it expects and the shape it got.
 */
export function checkImages(images: Tensor, taskId: string, channels: readonly number[] = [1, 3]): void {
  if (images.rank !== 4 || images.dtype !== 'float32') {
    throw new Error(
      `${taskId}: images must be a float32 batch [N, H, W, C] in [0, 1]; got ${images.dtype} [${images.shape}]`,
    );
  }
  const count = images.shape[0] as number;
  const channelCount = images.shape[3] as number;
  if (count < 1) throw new Error(`${taskId}: the batch is empty ([${images.shape}])`);
  if (!channels.includes(channelCount)) {
    throw new Error(`${taskId}: images must have ${channels.join(' or ')} channel(s); got [${images.shape}]`);
  }
}
