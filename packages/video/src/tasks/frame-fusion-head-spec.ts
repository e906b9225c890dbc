import { createFrameFusionHead, type FrameFusionHeadOptions } from '@selfsup/models';
import type { TaskEncoder, TaskHeadSpec } from '@selfsup/pretext';

/** What a frame-order task says of its head's shape: items, frames per item, fusion, outputs and name. */
export type FrameFusionHeadLayout = Pick<
  FrameFusionHeadOptions,
  'items' | 'framesPerItem' | 'fusion' | 'outputSize'
> & {
  name: string;
};

/** The layer widths of a frame-order head, as the task's options name them (those it has). */
export type FrameFusionHeadWidths = Pick<FrameFusionHeadOptions, 'itemHiddenSize' | 'hiddenSize' | 'pairHiddenSize'>;

/**
 * The head spec of a frame-order task: a {@link createFrameFusionHead} over the features of the
 * frame encoder (`inputSize` is its featureSize), built by the trainer with its seed. `layout` is
 * the head's shape, or, where it depends on the encoder (a regression to its input's pixels), a
 * function of it; `widths` are the task's resolved options, whose layer widths the head takes.
 *
 * @example
 * head: frameFusionHeadSpec({ items: 4, fusion: 'pairwise', outputSize: 12, name: 'order_prediction_head' }, resolved)
 */
export function frameFusionHeadSpec(
  layout: FrameFusionHeadLayout | ((encoder: TaskEncoder) => FrameFusionHeadLayout),
  widths: FrameFusionHeadWidths,
): TaskHeadSpec {
  const { itemHiddenSize, hiddenSize, pairHiddenSize } = widths;
  return {
    kind: 'custom',
    create: (encoder, seed) => {
      const { items, framesPerItem, fusion, outputSize, name } =
        typeof layout === 'function' ? layout(encoder) : layout;
      return createFrameFusionHead({
        inputSize: encoder.featureSize,
        items,
        ...(framesPerItem === undefined ? {} : { framesPerItem }),
        ...(fusion === undefined ? {} : { fusion }),
        ...(itemHiddenSize === undefined ? {} : { itemHiddenSize }),
        ...(hiddenSize === undefined ? {} : { hiddenSize }),
        ...(pairHiddenSize === undefined ? {} : { pairHiddenSize }),
        outputSize,
        seed,
        name,
      });
    },
  };
}
