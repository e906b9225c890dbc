import { type Tensor4D, tf } from '@selfsup/backend';

/** CIE XYZ of the D65 white point (Y = 1), as scikit-image uses. */
const D65_WHITE = [0.95047, 1, 1.08883];
/** Linear sRGB → XYZ (IEC 61966-2-1, D65), rows X, Y, Z. */
const RGB_TO_XYZ = [
  [0.412453, 0.35758, 0.180423],
  [0.212671, 0.71516, 0.072169],
  [0.019334, 0.119193, 0.950227],
];

function invert3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [
    [number, number, number],
    [number, number, number],
    [number, number, number],
  ];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}
const XYZ_TO_RGB = invert3(RGB_TO_XYZ);

/** x·Mᵀ over the last axis: [..., 3] → [..., 3]. */
function mix(x: tf.Tensor, m: number[][]): tf.Tensor {
  const shape = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, 3]), tf.tensor2d(m).transpose()), shape);
}

function checkRgb(images: tf.Tensor, op: string): void {
  if (images.rank < 1 || images.shape[images.rank - 1] !== 3) {
    throw new Error(`${op}: expected colours on the last axis [..., 3]; got [${images.shape}]`);
  }
}

/**
 * sRGB in [0, 1] → CIE L*a*b* (D65): L in [0, 100], a and b roughly in [−110, 110], as
 * `skimage.color.rgb2lab` (the conversion Zhang et al. 2016 colorize in).
 *
 * Shapes: [..., 3] → [..., 3] (L, a, b).
 *
 * @example const lab = rgbToLab(images); // [N, H, W, 3]
 * @throws if the last axis is not 3.
 */
export function rgbToLab<T extends tf.Tensor>(rgb: T): T {
  checkRgb(rgb, 'rgbToLab');
  return tf.tidy(() => {
    const c = tf.clipByValue(rgb, 0, 1);
    const linear = tf.where(tf.lessEqual(c, 0.04045), tf.div(c, 12.92), tf.pow(tf.div(tf.add(c, 0.055), 1.055), 2.4));
    const xyz = tf.div(mix(linear, RGB_TO_XYZ), D65_WHITE);
    const f = tf.where(
      tf.greater(xyz, 0.008856),
      tf.pow(tf.maximum(xyz, 1e-12), 1 / 3),
      tf.add(tf.mul(xyz, 7.787), 16 / 116),
    );
    const [fx, fy, fz] = tf.split(f, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    return tf.concat([tf.sub(tf.mul(fy, 116), 16), tf.mul(tf.sub(fx, fy), 500), tf.mul(tf.sub(fy, fz), 200)], -1) as T;
  });
}

/**
 * {@link rgbToLab} on plain numbers, step for step in float32 as the tensor ops compute it: packed
 * colours [n·3] (r, g, b in [0, 1]) → packed [n·3] (L, a, b). For what must not need a backend or
 * create tensors (the ab gamut scan a colorization task makes when it checks its options).
 */
export function rgbToLabValues(rgb: Float32Array): Float32Array {
  if (rgb.length % 3 !== 0) throw new Error(`rgbToLabValues: expected packed colours [n·3]; got ${rgb.length} values`);
  // Every constant is a float32 scalar tensor in rgbToLab, and every op rounds to float32.
  const f32 = Math.fround;
  const white = D65_WHITE.map(f32);
  const matrix = RGB_TO_XYZ.map((row) => row.map(f32));
  const threshold = f32(0.04045);
  const slope = f32(12.92);
  const offset = f32(0.055);
  const scale = f32(1.055);
  const gamma = f32(2.4);
  const epsilon = f32(0.008856);
  const kappa = f32(7.787);
  const shift = f32(16 / 116);
  const third = f32(1 / 3);
  const tiny = f32(1e-12);
  const lab = new Float32Array(rgb.length);
  const linear = new Float32Array(3);
  const f = new Float32Array(3);
  for (let i = 0; i < rgb.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const c = Math.min(Math.max(rgb[i + k] as number, 0), 1);
      linear[k] = c <= threshold ? c / slope : f32(f32(c + offset) / scale) ** gamma;
    }
    for (let k = 0; k < 3; k++) {
      let sum = 0;
      for (let j = 0; j < 3; j++) sum = f32(sum + f32((linear[j] as number) * (matrix[k]?.[j] as number)));
      const xyz = f32(sum / (white[k] as number));
      f[k] = xyz > epsilon ? Math.max(xyz, tiny) ** third : f32(xyz * kappa) + shift;
    }
    const [fx, fy, fz] = [f[0] as number, f[1] as number, f[2] as number];
    lab[i] = f32(fy * 116) - 16;
    lab[i + 1] = f32(fx - fy) * 500;
    lab[i + 2] = f32(fy - fz) * 200;
  }
  return lab;
}

/**
 * CIE L*a*b* (D65) → sRGB, the inverse of {@link rgbToLab}; colours outside the sRGB gamut are
 * clipped to [0, 1] (as `skimage.color.lab2rgb`).
 *
 * Shapes: [..., 3] (L, a, b) → [..., 3].
 *
 * @example const rgb = labToRgb(tf.concat([lightness, predictedAb], -1));
 * @throws if the last axis is not 3.
 */
export function labToRgb<T extends tf.Tensor>(lab: T): T {
  checkRgb(lab, 'labToRgb');
  return tf.tidy(() => {
    const [l, a, b] = tf.split(lab, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const fy = tf.div(tf.add(l, 16), 116);
    const f = tf.concat([tf.add(tf.div(a, 500), fy), fy, tf.sub(fy, tf.div(b, 200))], -1);
    const cube = tf.mul(tf.mul(f, f), f);
    const xyz = tf.mul(tf.where(tf.greater(cube, 0.008856), cube, tf.div(tf.sub(f, 16 / 116), 7.787)), D65_WHITE);
    const linear = tf.maximum(mix(xyz, XYZ_TO_RGB), 0);
    const rgb = tf.where(
      tf.lessEqual(linear, 0.0031308),
      tf.mul(linear, 12.92),
      tf.sub(tf.mul(tf.pow(tf.maximum(linear, 1e-12), 1 / 2.4), 1.055), 0.055),
    );
    return tf.clipByValue(rgb, 0, 1) as T;
  });
}

/** Lightness L/100 in [0, 1] of RGB images: [N, H, W, 3] → [N, H, W, 1] (what a colorization encoder sees). */
export function rgbToLightness(images: Tensor4D): Tensor4D {
  return tf.tidy(() => tf.div(tf.slice(rgbToLab(images), [0, 0, 0, 0], [-1, -1, -1, 1]), 100) as Tensor4D);
}
