import { type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import type { Encoder, ForwardMode } from '@selfsup/models';

/**
 * Features of multi-crop views (SwAV, DINO): `views[v]` is `[N, h_v, w_v, C]` (global crops first,
 * then local ones, possibly smaller). Consecutive views of one size run through the encoder as one
 * stacked batch, as the reference `MultiCropWrapper` does, so batch statistics are shared within a
 * resolution; a view whose size is not the encoder's `inputShape` is first resized to it
 * (bilinear), since the encoders here take one input size — a local crop keeps its small field of
 * view, not its lower cost.
 *
 * Shapes: views `[N, h_v, w_v, C]` × V → one `[N, featureSize]` per view, in order.
 *
 * @example
 * const features = multiCropFeatures(encoder, views, { training: true }); // V × [N, F]
 */
export function multiCropFeatures(encoder: Encoder, views: readonly Tensor4D[], mode: ForwardMode): Tensor2D[] {
  const [height, width] = encoder.inputShape as [number, number, number];
  return tf.tidy(() => {
    const features: Tensor2D[] = [];
    let start = 0;
    while (start < views.length) {
      const first = views[start] as Tensor4D;
      let end = start + 1;
      while (end < views.length && sameSize(views[end] as Tensor4D, first)) end++;
      const group = views.slice(start, end);
      const fitted =
        first.shape[1] === height && first.shape[2] === width
          ? group
          : group.map((view) => tf.image.resizeBilinear(view, [height, width]) as Tensor4D);
      const out = encoder.apply(fitted.length === 1 ? (fitted[0] as Tensor4D) : tf.concat(fitted, 0), mode);
      features.push(...(tf.split(out, group.length) as Tensor2D[]));
      start = end;
    }
    return features;
  });
}

function sameSize(a: Tensor4D, b: Tensor4D): boolean {
  return a.shape[1] === b.shape[1] && a.shape[2] === b.shape[2] && a.shape[0] === b.shape[0];
}

/** The number of views each image gets, checked against what a multi-crop method needs. @throws naming the method. */
export function expectMultiCrop(method: string, views: readonly Tensor4D[], globalViews: number): void {
  if (views.length < Math.max(2, globalViews)) {
    throw new Error(
      `${method}: needs at least ${Math.max(2, globalViews)} views (${globalViews} global first, then local ones); got ${views.length}`,
    );
  }
}
