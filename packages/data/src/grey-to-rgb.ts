import type { LabeledImages } from './fashion-mnist.js';

/**
 * Grey images as RGB: each pixel's value in all three channels, so an encoder trained on colour
 * photographs can be evaluated on Fashion-MNIST. Labels are shared, not copied.
 *
 * Shapes: images [count, H, W, 1] → [count, H, W, 3].
 *
 * @example const rgb = greyToRgb(await loadIdxImages({ split: 'test' })); // rgb.channels === 3
 * @throws if the images are not single-channel.
 */
export function greyToRgb(set: LabeledImages): LabeledImages {
  const channels = set.channels ?? 1;
  if (channels !== 1) throw new Error(`greyToRgb: expected single-channel images; got ${channels} channels`);
  const pixels = set.count * set.height * set.width;
  const images = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const value = set.images[i] as number;
    images[3 * i] = value;
    images[3 * i + 1] = value;
    images[3 * i + 2] = value;
  }
  return { ...set, images, channels: 3 };
}
