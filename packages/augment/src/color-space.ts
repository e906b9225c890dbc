import { type Tensor, type Tensor4D, tf } from '@selfsup/backend';

/** ITU-R 601-2 luma, torchvision's `rgb_to_grayscale` weights. */
export const GRAYSCALE_WEIGHTS: readonly [number, number, number] = [0.2989, 0.587, 0.114];

/** [N, H, W, 3] → [N, H, W, 1] luma; 1-channel input is returned as a copy. */
export function toGrayscale(images: Tensor4D): Tensor4D {
  if (images.shape[3] === 1) return tf.clone(images);
  return tf.tidy(() => tf.sum(tf.mul(images, tf.tensor1d([...GRAYSCALE_WEIGHTS])), 3, true) as Tensor4D);
}

/**
 * RGB → HSV on [N, H, W, 3] in [0, 1], as torchvision's `_rgb2hsv`: h, s, v in [0, 1] (h wraps).
 */
export function rgbToHsv(images: Tensor4D): Tensor4D {
  return tf.tidy(() => {
    const [r, g, b] = tf.split(images, 3, 3) as [Tensor, Tensor, Tensor];
    const maxc = tf.maximum(tf.maximum(r, g), b);
    const minc = tf.minimum(tf.minimum(r, g), b);
    const chroma = tf.sub(maxc, minc);
    const s = tf.div(chroma, tf.where(tf.equal(maxc, 0), tf.onesLike(maxc), maxc));
    const divisor = tf.where(tf.equal(chroma, 0), tf.onesLike(chroma), chroma);
    const rc = tf.div(tf.sub(maxc, r), divisor);
    const gc = tf.div(tf.sub(maxc, g), divisor);
    const bc = tf.div(tf.sub(maxc, b), divisor);
    const isR = tf.equal(maxc, r);
    const isG = tf.logicalAnd(tf.equal(maxc, g), tf.logicalNot(isR));
    const isB = tf.logicalAnd(tf.logicalNot(isG), tf.logicalNot(isR));
    const h = tf.addN([
      tf.mul(tf.cast(isR, 'float32'), tf.sub(bc, gc)),
      tf.mul(tf.cast(isG, 'float32'), tf.add(tf.sub(rc, bc), 2)),
      tf.mul(tf.cast(isB, 'float32'), tf.add(tf.sub(gc, rc), 4)),
    ]);
    const hue = tf.mod(tf.add(tf.div(h, 6), 1), 1);
    return tf.concat([hue, s, maxc], 3) as Tensor4D;
  });
}

/** HSV → RGB on [N, H, W, 3], as torchvision's `_hsv2rgb`. */
export function hsvToRgb(hsv: Tensor4D): Tensor4D {
  return tf.tidy(() => {
    const [h, s, v] = tf.split(hsv, 3, 3) as [Tensor, Tensor, Tensor];
    const scaled = tf.mul(h, 6);
    const sector = tf.floor(scaled);
    const f = tf.sub(scaled, sector);
    const index = tf.mod(tf.cast(sector, 'int32'), 6);
    const p = tf.clipByValue(tf.mul(v, tf.sub(1, s)), 0, 1);
    const q = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, f))), 0, 1);
    const t = tf.clipByValue(tf.mul(v, tf.sub(1, tf.mul(s, tf.sub(1, f)))), 0, 1);
    const table: Array<[Tensor, Tensor, Tensor]> = [
      [v, t, p],
      [q, v, p],
      [p, v, t],
      [p, q, v],
      [t, p, v],
      [v, p, q],
    ];
    const channel = (c: 0 | 1 | 2) =>
      table.reduce<Tensor>((acc, row, i) => tf.where(tf.equal(index, i), row[c], acc), tf.zerosLike(v));
    return tf.concat([channel(0), channel(1), channel(2)], 3) as Tensor4D;
  });
}
