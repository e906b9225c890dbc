import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, readImages } from './io/read-image.js';
import {
  GOLDEN_BATCH_FILES,
  GOLDEN_DECODED_FILES,
  goldenViews,
  goldenViewsDistance,
  maxPixelDistance,
  type PlatformGolden,
} from './test-platform-golden.js';

/**
 * The committed test images, served by Vite: each a literal `new URL(file, import.meta.url)`, the
 * pattern Vite (and webpack) rewrite to the asset's address.
 */
const IMAGE_URLS: Record<string, URL> = {
  'images/gradient.png': new URL('../test-data/images/gradient.png', import.meta.url),
  'images/gradient.jpg': new URL('../test-data/images/gradient.jpg', import.meta.url),
  'images/gradient.webp': new URL('../test-data/images/gradient.webp', import.meta.url),
  'images/nested/alpha.png': new URL('../test-data/images/nested/alpha.png', import.meta.url),
  'special/rotated.jpg': new URL('../test-data/special/rotated.jpg', import.meta.url),
};
const imageUrl = (file: string) => IMAGE_URLS[file] as URL;

let golden: PlatformGolden;

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
  golden = (await (
    await fetch(new URL('../test-data/platform-golden.json', import.meta.url))
  ).json()) as PlatformGolden;
});

describe('platform golden in the browser (same numbers as sharp in Node)', () => {
  it('decodes lossless PNG and WebP exactly as sharp, JPEG within 2 levels', async () => {
    const distances: Record<string, number> = {};
    for (const file of GOLDEN_DECODED_FILES) {
      const bytes = new Uint8Array(await (await fetch(imageUrl(file))).arrayBuffer());
      const image = await decodeImage(bytes);
      const expected = golden.decoded[file];
      expect([image.height, image.width], file).toEqual([expected?.height, expected?.width]);
      distances[file] = maxPixelDistance(image.data, expected?.data ?? []);
    }
    console.log('max |browser − sharp| per decoded file, in levels of 255:', distances);
    expect(distances['images/gradient.png']).toBe(0);
    expect(distances['images/gradient.webp']).toBe(0);
    expect(distances['images/nested/alpha.png']).toBe(0);
    // libjpeg-turbo (sharp) and Chromium's decoder may round the colour conversion differently.
    expect(distances['images/gradient.jpg']).toBeLessThanOrEqual(2);
    expect(distances['special/rotated.jpg']).toBeLessThanOrEqual(2); // EXIF orientation 6 applied
  });

  it('the SimCLR, MoCo v2 and BYOL presets give the views Node gives (to 1e-4) on the decoded batch', async () => {
    const batch = await readImages(
      GOLDEN_BATCH_FILES.map((file) => imageUrl(file)),
      { size: [16, 24] },
    );
    const views = await assertNoTensorLeak('golden views', () => goldenViews(batch));
    tf.dispose(batch);
    const distance = goldenViewsDistance(views, golden.views);
    console.log(`max |browser − Node| over the presets' view means and samples: ${distance}`);
    expect(distance).toBeLessThanOrEqual(1e-4);
  });
});
