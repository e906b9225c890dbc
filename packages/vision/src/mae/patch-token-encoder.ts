import type { Tensor, Tensor3D } from '@selfsup/backend';
import type { ForwardMode, TaskEncoder } from '@selfsup/pretext';

/**
 * An encoder that exposes its patch-token pipeline, as `@selfsup/models`' ViT (`createVitTiny`)
 * does: what masked image modelling needs to run the transformer on visible patches only.
 */
export interface PatchTokenEncoder extends TaskEncoder {
  readonly patchSize: number;
  /** Patches per image. */
  readonly numPatches: number;
  /** Token width. */
  readonly dim: number;
  /** Per-example input [H, W, C]. */
  readonly inputShape: readonly number[];
  /** Images → patch tokens with position embeddings, [N, numPatches, dim]. */
  embedPatches(inputs: Tensor): Tensor3D;
  /** Class token + the given patch tokens → every output token after the final norm, [N, 1 + tokens, dim]. */
  encodeTokens(patchTokens: Tensor3D, mode: ForwardMode): Tensor3D;
}

/**
 * The encoder as a {@link PatchTokenEncoder}.
 * @throws naming the task and what is missing when it is not one (a CNN, say).
 */
export function asPatchTokenEncoder(encoder: TaskEncoder, taskId: string): PatchTokenEncoder {
  const candidate = encoder as Partial<PatchTokenEncoder>;
  const missing = ['embedPatches', 'encodeTokens'].filter(
    (method) => typeof (candidate as Record<string, unknown>)[method] !== 'function',
  );
  for (const field of ['patchSize', 'numPatches', 'dim'] as const) {
    if (typeof candidate[field] !== 'number') missing.push(field);
  }
  if (!Array.isArray(candidate.inputShape)) missing.push('inputShape');
  if (missing.length > 0) {
    throw new Error(
      `${taskId}: the encoder has no ${missing.join(', ')}; masked image modelling needs a patch-token encoder (createVitTiny from @selfsup/models)`,
    );
  }
  return encoder as PatchTokenEncoder;
}
