import type { LabeledImages } from '@selfsup/data';

/** Image `index` of `set` on a canvas of its own size (CSS scales it up). */
export function thumbnail(set: LabeledImages, index: number): HTMLCanvasElement {
  const channels = set.channels ?? 1;
  const canvas = document.createElement('canvas');
  canvas.width = set.width;
  canvas.height = set.height;
  const pixels = new ImageData(set.width, set.height);
  const offset = index * set.width * set.height * channels;
  for (let p = 0; p < set.width * set.height; p++) {
    for (let c = 0; c < 3; c++)
      pixels.data[p * 4 + c] = set.images[offset + p * channels + (channels === 1 ? 0 : c)] as number;
    pixels.data[p * 4 + 3] = 255;
  }
  canvas.getContext('2d')?.putImageData(pixels, 0, 0);
  return canvas;
}
