import { createRng } from '@selfsup/backend';
import type { LabeledImages } from '@selfsup/data';

/**
 * 64 seeded 16×16 grayscale images: a bright 5×5 square on dark noise, in one of four quadrants
 * (the label) — structure SimCLR can learn in a few steps.
 */
export function squareImages(): LabeledImages {
  const rng = createRng(7);
  const count = 64;
  const size = 16;
  const images = new Uint8Array(count * size * size);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 4;
    labels[n] = label;
    const top = (label < 2 ? 1 : 9) + Math.floor(rng.uniform() * 3);
    const left = (label % 2 === 0 ? 1 : 9) + Math.floor(rng.uniform() * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = y >= top && y < top + 5 && x >= left && x < left + 5;
        images[(n * size + y) * size + x] = inside
          ? 200 + Math.floor(rng.uniform() * 55)
          : Math.floor(rng.uniform() * 60);
      }
    }
  }
  return { images, labels, count, height: size, width: size };
}
