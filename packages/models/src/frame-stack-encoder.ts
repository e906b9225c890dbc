import { type Tensor, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';
import type { Encoder, ForwardMode } from './module.js';

/** How a {@link createFrameStackEncoder} pools its frames' features: in order, or averaged. */
export type FramePooling = 'concat' | 'mean';

export interface FrameStackEncoderOptions {
  /** The per-frame 2D encoder, shared by every frame (e.g. `createSmallCnn`). Owned: disposed with the stack encoder. */
  frameEncoder: Encoder;
  /** Frames per stack. */
  frames: number;
  /** `concat` (default) keeps the order: features [N, frames·D]; `mean` averages: [N, D]. */
  pooling?: FramePooling;
  name?: string;
}

/**
 * An encoder for frame stacks: one per-frame 2D encoder with shared weights applied to every
 * frame of a stack, its features concatenated in frame order (late fusion, as the frame-order
 * networks of Misra et al. 2016 and Lee et al. 2017) or averaged. The frame encoder stays a plain
 * image encoder, so it can be probed, fine-tuned or saved on its own.
 *
 * Shapes: inputs [N, frames, H, W, C] → features [N, frames·D] (`concat`) or [N, D] (`mean`),
 * D = frameEncoder.featureSize.
 *
 * @example
 * const stack = createFrameStackEncoder({ frameEncoder: createSmallCnn({ inputShape: [32, 32, 1] }), frames: 4 });
 * const features = stack.apply(clips, { training: false }); // clips [N, 4, 32, 32, 1] → [N, 512]
 * @throws if frames is not a positive integer or pooling is unknown; from apply, if the inputs
 *   are not [N, frames, ...frameEncoder.inputShape].
 */
export function createFrameStackEncoder(options: FrameStackEncoderOptions): Encoder {
  const { frameEncoder, frames } = options;
  const pooling = options.pooling ?? 'concat';
  const name = options.name ?? 'frame_stack_encoder';
  if (!Number.isInteger(frames) || frames < 1) {
    throw new Error(`createFrameStackEncoder: frames must be a positive integer; got ${frames}`);
  }
  if (pooling !== 'concat' && pooling !== 'mean') {
    throw new Error(`createFrameStackEncoder: pooling must be concat or mean; got '${pooling}'`);
  }
  const frameShape = frameEncoder.inputShape;
  const inputShape = [frames, ...frameShape];
  const featureSize = pooling === 'concat' ? frames * frameEncoder.featureSize : frameEncoder.featureSize;
  return {
    name,
    featureSize,
    inputShape,
    get trainableVariables() {
      return frameEncoder.trainableVariables;
    },
    get stateVariables() {
      return frameEncoder.stateVariables;
    },
    config: {
      kind: 'frame-stack-encoder',
      options: { frames, pooling, name, frameEncoder: frameEncoder.config },
    },
    apply(inputs: Tensor, mode: ForwardMode): Tensor2D {
      const ok = inputs.rank === inputShape.length + 1 && inputShape.every((size, i) => inputs.shape[i + 1] === size);
      if (!ok) {
        throw new Error(`${name}: expected inputs [batch, ${inputShape.join(', ')}], got [${inputs.shape.join(', ')}]`);
      }
      const count = inputs.shape[0] as number;
      return tf.tidy(() => {
        const flat = tf.reshape(inputs, [count * frames, ...frameShape]);
        const perFrame = frameEncoder.apply(flat, mode);
        if (pooling === 'concat') return tf.reshape(perFrame, [count, featureSize]) as Tensor2D;
        return tf.mean(tf.reshape(perFrame, [count, frames, featureSize]) as Tensor3D, 1) as Tensor2D;
      });
    },
    dispose: () => frameEncoder.dispose(),
  };
}
