import { type Tensor, type Tensor4D, tf } from '@selfsup/backend';

// Color math on planes. Per-pixel channel mixing in NHWC layout (slices, max or broadcasts along
// the last axis) is 10–40× slower on wasm than plain elementwise ops, and `maximum`, comparisons,
// `where` and `mod` are also slow there. So color ops transpose RGB batches to planes
// [N, 1, H, W] once and use only add/sub/mul/div/floor/abs/step/clip, which are fast everywhere;
// comparisons become `step` of a difference, which is exact for finite values.

/** torchvision's `rgb_to_grayscale` weights (ITU-R 601-2 luma, as torchvision rounds them). */
export const LUMA = [0.2989, 0.587, 0.114] as const;

/** `[N, H, W, 3]` → three planes `[N, 1, H, W]`. */
export function toPlanes(images: Tensor4D): [Tensor4D, Tensor4D, Tensor4D] {
  return tf.split(tf.transpose(images, [0, 3, 1, 2]), 3, 1) as [Tensor4D, Tensor4D, Tensor4D];
}

/** Three planes `[N, 1, H, W]` → `[N, H, W, 3]`. */
export function fromPlanes(planes: readonly Tensor4D[]): Tensor4D {
  return tf.transpose(tf.concat(planes as Tensor4D[], 1), [0, 2, 3, 1]) as Tensor4D;
}

/** Luma plane 0.2989·r + 0.587·g + 0.114·b. */
export function lumaPlane(r: Tensor, g: Tensor, b: Tensor): Tensor4D {
  return tf.add(tf.add(tf.mul(r, LUMA[0]), tf.mul(g, LUMA[1])), tf.mul(b, LUMA[2])) as Tensor4D;
}

/** 1 where a ≥ b, else 0 (exact). */
function atLeast(a: Tensor, b: Tensor): Tensor {
  return tf.sub(1, tf.step(tf.sub(b, a)));
}

/**
 * Which channel holds the maximum and the minimum of each pixel (one-hot, ties resolved as
 * torchvision's `_rgb2hsv`: r before g before b), and the max and min themselves (exact).
 */
function extremes(r: Tensor, g: Tensor, b: Tensor) {
  const rg = atLeast(r, g);
  const gr = atLeast(g, r);
  const rb = atLeast(r, b);
  const br = atLeast(b, r);
  const gb = atLeast(g, b);
  const bg = atLeast(b, g);
  const isR = tf.mul(rg, rb);
  const notR = tf.sub(1, isR);
  const isG = tf.mul(notR, gb);
  const isB = tf.sub(notR, isG);
  const lowR = tf.mul(gr, br);
  const notLowR = tf.sub(1, lowR);
  const lowG = tf.mul(notLowR, bg);
  const lowB = tf.sub(notLowR, lowG);
  const max = tf.addN([tf.mul(r, isR), tf.mul(g, isG), tf.mul(b, isB)]);
  const min = tf.addN([tf.mul(r, lowR), tf.mul(g, lowG), tf.mul(b, lowB)]);
  return { isR, isG, isB, max, min };
}

/**
 * Hue in [0, 1), value and chroma (max − min) of RGB planes, as torchvision's `_rgb2hsv` computes
 * the hue (sector by the max channel; gray pixels get hue 0).
 */
export function hueValueChroma(r: Tensor, g: Tensor, b: Tensor): { hue: Tensor; value: Tensor; chroma: Tensor } {
  const { isR, isG, isB, max, min } = extremes(r, g, b);
  const chroma = tf.sub(max, min);
  const gray = tf.sub(1, tf.step(chroma));
  const divisor = tf.add(tf.mul(chroma, tf.sub(1, gray)), gray);
  const rc = tf.div(tf.sub(max, r), divisor);
  const gc = tf.div(tf.sub(max, g), divisor);
  const bc = tf.div(tf.sub(max, b), divisor);
  const sector = tf.addN([
    tf.mul(isR, tf.sub(bc, gc)),
    tf.mul(isG, tf.sub(tf.add(rc, 2), bc)),
    tf.mul(isB, tf.sub(tf.add(gc, 4), rc)),
  ]);
  return { hue: fraction(tf.add(tf.div(sector, 6), 1)), value: max, chroma };
}

/** x − floor(x): torch's `x % 1` for the float hue. */
export function fraction(x: Tensor): Tensor {
  return tf.sub(x, tf.floor(x));
}

/**
 * RGB planes from hue, value and chroma (HSV with chroma = value·saturation):
 * `channel = v − c·clip(2 − |k − 2|, 0, 1)`, `k = (n + 6h) mod 6`, n = 5, 3, 1 for r, g, b — the
 * branch-free form of torchvision's `_hsv2rgb` sector table.
 */
export function rgbFromHueValueChroma(hue: Tensor, value: Tensor, chroma: Tensor): [Tensor4D, Tensor4D, Tensor4D] {
  const six = tf.mul(hue, 6);
  const channel = (n: number) => {
    const k = tf.add(six, n);
    const wrapped = tf.sub(k, tf.mul(tf.floor(tf.div(k, 6)), 6));
    const ramp = tf.clipByValue(tf.sub(2, tf.abs(tf.sub(wrapped, 2))), 0, 1);
    return tf.sub(value, tf.mul(chroma, ramp)) as Tensor4D;
  };
  return [channel(5), channel(3), channel(1)];
}

/** Shifts the hue of RGB planes by per-sample fractions of a turn (`shifts` `[N, 1, 1, 1]`). */
export function shiftHuePlanes(r: Tensor, g: Tensor, b: Tensor, shifts: Tensor): [Tensor4D, Tensor4D, Tensor4D] {
  const { hue, value, chroma } = hueValueChroma(r, g, b);
  return rgbFromHueValueChroma(fraction(tf.add(hue, shifts)), value, chroma);
}
