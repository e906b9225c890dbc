import type { TaskEncoder } from '@selfsup/pretext';

/**
 * Checks that an encoder that declares its input shape takes tiles of `tileSize` (jigsaw and
 * relative location show the encoder one tile at a time).
 * @throws naming the task, the encoder's input shape and what to do instead.
 */
export function checkTileEncoder(encoder: TaskEncoder, tileSize: number, taskId: string): void {
  const shape = (encoder as TaskEncoder & { inputShape?: readonly number[] }).inputShape;
  if (shape !== undefined && (shape[0] !== tileSize || shape[1] !== tileSize)) {
    throw new Error(
      `${taskId}: the encoder takes [${shape}] inputs but the task shows it ${tileSize}×${tileSize} tiles; create it with inputShape [${tileSize}, ${tileSize}, channels] and copy its weights into a full-size twin for downstream use (copyWeights from @selfsup/trainer)`,
    );
  }
}
