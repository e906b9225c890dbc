import { createRng } from '@selfsup/backend';

/** A grayscale item (e.g. a Fashion-MNIST image): [height, width] bytes. */
export interface ItemImage {
  pixels: Uint8Array;
  height: number;
  width: number;
}

export interface BouncingItemOptions {
  /** Side of the square frame in pixels (default 64). */
  frameSize?: number;
  /** Frames to render (default 24). */
  frames?: number;
  /** Initial speed range in pixels per frame (default [1.5, 3]). */
  speed?: [number, number];
  /** Share of the velocity kept at a wall bounce (default 0.85: bounces lose energy). */
  restitution?: number;
  /** Velocity and spin kept per frame (default 0.985). Below 1, the motion slows: time has an arrow. */
  damping?: number;
  /** Spin range in degrees per frame, random sign (default [2, 6]). */
  spin?: [number, number];
  /** Item scale range (default [0.9, 1.1]). */
  scale?: [number, number];
  /**
   * Motion in depth: the item's scale changes linearly over the video by a factor drawn from this
   * range, growing or shrinking at random (default [0, 0]: constant size). E.g. [0.3, 0.5].
   */
  zoom?: [number, number];
  seed?: number | string;
}

/** A rendered video and where the item was in each frame. */
export interface BouncingItemVideo {
  /** Frames [frames, frameSize, frameSize] gray bytes. */
  data: Uint8Array;
  frames: number;
  frameSize: number;
  /** Item centre (x, y) per frame, in pixels [frames·2]. */
  centers: Float32Array;
  /** Item rotation per frame, in degrees [frames]. */
  angles: Float32Array;
  /** Item scale per frame [frames]. */
  scales: Float32Array;
}

function sampleBilinear(item: ItemImage, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  let total = 0;
  for (let dy = 0; dy <= 1; dy++) {
    const row = y0 + dy;
    if (row < 0 || row >= item.height) continue;
    for (let dx = 0; dx <= 1; dx++) {
      const column = x0 + dx;
      if (column < 0 || column >= item.width) continue;
      const weight = (dx === 1 ? fx : 1 - fx) * (dy === 1 ? fy : 1 - fy);
      total += weight * (item.pixels[row * item.width + column] as number);
    }
  }
  return total;
}

/**
 * Renders an item moving, spinning and bouncing off the walls of a larger black frame — the
 * Moving-MNIST recipe (Srivastava et al. 2015) with Fashion-MNIST items, plus rotation and
 * inelastic bounces with damping so the motion slows down (the arrow of time is visible).
 * Deterministic given `seed`; positions and angles per frame are returned for checks.
 *
 * @example
 * const video = renderBouncingItem({ pixels, height: 28, width: 28 }, { frames: 24, seed: 3 });
 * await encodeRawVideo({ data: video.data, width: 64, height: 64, channels: 1, fps: 12 }, 'item.mp4');
 * @throws if the frame is smaller than the item or an option is out of range.
 */
export function renderBouncingItem(item: ItemImage, options: BouncingItemOptions = {}): BouncingItemVideo {
  const frameSize = options.frameSize ?? 64;
  const frames = options.frames ?? 24;
  const [speedLow, speedHigh] = options.speed ?? [1.5, 3];
  const [spinLow, spinHigh] = options.spin ?? [2, 6];
  const [scaleLow, scaleHigh] = options.scale ?? [0.9, 1.1];
  const restitution = options.restitution ?? 0.85;
  const damping = options.damping ?? 0.985;
  if (item.pixels.length !== item.height * item.width) {
    throw new Error(`renderBouncingItem: ${item.pixels.length} pixels are not a ${item.height}×${item.width} item`);
  }
  if (!Number.isInteger(frames) || frames < 1)
    throw new Error(`renderBouncingItem: frames must be a positive integer; got ${frames}`);
  if (!(restitution > 0 && restitution <= 1) || !(damping > 0 && damping <= 1)) {
    throw new Error(`renderBouncingItem: restitution and damping must be in (0, 1]; got ${restitution}, ${damping}`);
  }
  const [zoomLow, zoomHigh] = options.zoom ?? [0, 0];
  if (!(zoomLow >= 0 && zoomHigh >= zoomLow && zoomHigh < 1)) {
    throw new Error(`renderBouncingItem: zoom must be a range within [0, 1); got [${zoomLow}, ${zoomHigh}]`);
  }
  const rng = createRng(options.seed ?? 0);
  const scale = rng.uniform(scaleLow, scaleHigh);
  const zoom = rng.uniform(zoomLow, zoomHigh);
  // Growing or shrinking: from `scale` to scale·(1 ± zoom).
  const finalScale = scale * (rng.bernoulli(0.5) ? 1 + zoom : 1 - zoom);
  const radius = (Math.max(item.height, item.width) * Math.max(scale, finalScale)) / 2;
  if (frameSize < 2 * radius + 2) {
    throw new Error(`renderBouncingItem: a ${frameSize}-pixel frame is too small for a ${2 * radius}-pixel item`);
  }
  const low = radius;
  const high = frameSize - radius;
  let x = rng.uniform(low, high);
  let y = rng.uniform(low, high);
  const direction = rng.uniform(0, 2 * Math.PI);
  const speed = rng.uniform(speedLow, speedHigh);
  let vx = speed * Math.cos(direction);
  let vy = speed * Math.sin(direction);
  let angle = rng.uniform(-30, 30);
  let spin = rng.uniform(spinLow, spinHigh) * (rng.bernoulli(0.5) ? 1 : -1);
  const data = new Uint8Array(frames * frameSize * frameSize);
  const centers = new Float32Array(frames * 2);
  const angles = new Float32Array(frames);
  const scales = new Float32Array(frames);
  for (let t = 0; t < frames; t++) {
    const size = frames === 1 ? scale : scale + ((finalScale - scale) * t) / (frames - 1);
    centers[2 * t] = x;
    centers[2 * t + 1] = y;
    angles[t] = angle;
    scales[t] = size;
    const radians = (angle * Math.PI) / 180;
    const cos = Math.cos(radians);
    const sin = Math.sin(radians);
    const offset = t * frameSize * frameSize;
    for (let row = 0; row < frameSize; row++) {
      const dy = row + 0.5 - y;
      for (let column = 0; column < frameSize; column++) {
        const dx = column + 0.5 - x;
        // Inverse rotation and scale: where in the item this pixel comes from.
        const itemX = (cos * dx + sin * dy) / size + item.width / 2 - 0.5;
        const itemY = (-sin * dx + cos * dy) / size + item.height / 2 - 0.5;
        const value = sampleBilinear(item, itemX, itemY);
        data[offset + row * frameSize + column] = Math.min(255, Math.round(value));
      }
    }
    x += vx;
    y += vy;
    if (x < low || x > high) {
      x = x < low ? 2 * low - x : 2 * high - x;
      vx = -vx * restitution;
    }
    if (y < low || y > high) {
      y = y < low ? 2 * low - y : 2 * high - y;
      vy = -vy * restitution;
    }
    vx *= damping;
    vy *= damping;
    angle += spin;
    spin *= damping;
  }
  return { data, frames, frameSize, centers, angles, scales };
}
