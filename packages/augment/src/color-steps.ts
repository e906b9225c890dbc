import { type Tensor, type Tensor4D, tf } from '@selfsup/backend';
import { perSample, scatterRows } from './per-sample.js';
import { fromPlanes, lumaPlane, shiftHuePlanes, toPlanes } from './planar-color.js';

/**
 * One batched color step in which every sample does one of torchvision's `_blend` adjustments
 * (or nothing): `y = clamp(scale·x + meanWeight·mean(gray(x)) + grayWeight·gray(x), 0, 1)`.
 * Brightness b: (b, 0, 0); contrast c: (c, 1 − c, 0); saturation s: (s, 0, 1 − s); identity:
 * (1, 0, 0). The zero terms are exact zeros, so each sample gets exactly torchvision's expression.
 */
export interface LinearColorStep {
  kind: 'linear';
  scale: number[];
  meanWeight: number[];
  grayWeight: number[];
}

/** Hue shift (fractions of a turn) per sample; `undefined` leaves a sample unchanged. */
export interface HueStep {
  kind: 'hue';
  shifts: Array<number | undefined>;
}

export type ColorStep = LinearColorStep | HueStep;

const isZero = (values: readonly number[]) => values.every((v) => v === 0);

function applyLinear(planes: Tensor4D[], step: LinearColorStep): Tensor4D[] {
  if (step.scale.every((v) => v === 1) && isZero(step.meanWeight) && isZero(step.grayWeight)) return planes;
  const rgb = planes.length === 3;
  const gray = rgb ? lumaPlane(planes[0] as Tensor, planes[1] as Tensor, planes[2] as Tensor) : (planes[0] as Tensor4D);
  // The shared term meanWeight·mean + grayWeight·gray, added to every channel.
  let shared: Tensor | undefined;
  if (!isZero(step.meanWeight)) shared = tf.mul(tf.mean(gray, [1, 2, 3], true), perSample(step.meanWeight));
  if (!isZero(step.grayWeight)) {
    const weighted = tf.mul(gray, perSample(step.grayWeight));
    shared = shared === undefined ? weighted : tf.add(weighted, shared);
  }
  const scale = perSample(step.scale);
  return planes.map((plane) => {
    const scaled = tf.mul(plane, scale);
    return tf.clipByValue(shared === undefined ? scaled : tf.add(scaled, shared), 0, 1) as Tensor4D;
  });
}

function applyHue(planes: Tensor4D[], step: HueStep): Tensor4D[] {
  const chosen = step.shifts.flatMap((shift, i) => (shift === undefined ? [] : [i]));
  if (chosen.length === 0 || planes.length !== 3) return planes;
  const shifts = chosen.map((i) => step.shifts[i] as number);
  const all = chosen.length === step.shifts.length;
  const [r, g, b] = (all ? planes : planes.map((plane) => tf.gather(plane, chosen))) as [Tensor4D, Tensor4D, Tensor4D];
  const shifted = shiftHuePlanes(r, g, b, perSample(shifts));
  return all ? shifted : planes.map((plane, c) => scatterRows(plane, chosen, shifted[c] as Tensor4D));
}

/**
 * Applies color steps in order to `[N, H, W, C]` images (C = 1 or 3). Saturation and hue leave
 * 1-channel images unchanged, as torchvision does. RGB batches are worked on as planes
 * `[N, 1, H, W]` (see `planar-color.ts`).
 */
export function applyColorSteps(images: Tensor4D, steps: readonly ColorStep[]): Tensor4D {
  return tf.tidy(() => {
    const rgb = images.shape[3] === 3;
    let planes: Tensor4D[] = rgb ? toPlanes(images) : [images];
    for (const step of steps) planes = step.kind === 'linear' ? applyLinear(planes, step) : applyHue(planes, step);
    if (!rgb) return planes[0] === images ? tf.clone(images) : (planes[0] as Tensor4D);
    return fromPlanes(planes);
  });
}
