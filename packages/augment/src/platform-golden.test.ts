import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, readImages } from './io/read-image.js';
import { TEST_DATA } from './test-helpers.js';
import {
  GOLDEN_BATCH_FILES,
  GOLDEN_DECODED_FILES,
  goldenViews,
  goldenViewsDistance,
  maxPixelDistance,
  type PlatformGolden,
} from './test-platform-golden.js';

const GOLDEN_FILE = join(TEST_DATA, 'platform-golden.json');

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('platform golden (the browser test checks the same numbers)', () => {
  it('sharp decodes the committed images and the SimCLR, MoCo v2 and BYOL presets give the pinned views', async () => {
    const decoded: PlatformGolden['decoded'] = {};
    for (const file of GOLDEN_DECODED_FILES) {
      const image = await decodeImage(join(TEST_DATA, file));
      decoded[file] = { height: image.height, width: image.width, data: Array.from(image.data) };
    }
    const batch = await readImages(
      GOLDEN_BATCH_FILES.map((file) => join(TEST_DATA, file)),
      { size: [16, 24] },
    );
    const views = await assertNoTensorLeak('golden views', () => goldenViews(batch));
    tf.dispose(batch);
    if (process.env.SELFSUP_UPDATE_GOLDEN === '1') {
      writeFileSync(GOLDEN_FILE, `${JSON.stringify({ decoded, views } satisfies PlatformGolden)}\n`);
    }
    const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as PlatformGolden;
    for (const file of GOLDEN_DECODED_FILES) {
      expect(maxPixelDistance(decoded[file]?.data ?? [], golden.decoded[file]?.data ?? []), file).toBe(0);
    }
    expect(goldenViewsDistance(views, golden.views)).toBeLessThanOrEqual(1e-4);
  });
});
