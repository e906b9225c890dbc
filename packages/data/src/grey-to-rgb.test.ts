import { describe, expect, it } from 'vitest';
import type { LabeledImages } from './fashion-mnist.js';
import { greyToRgb } from './grey-to-rgb.js';

describe('greyToRgb', () => {
  it('puts each grey pixel in all three channels and shares the labels', () => {
    const grey: LabeledImages = {
      images: Uint8Array.from([0, 10, 200, 255, 1, 2, 3, 4]),
      labels: Uint8Array.from([7, 3]),
      count: 2,
      height: 2,
      width: 2,
    };
    const rgb = greyToRgb(grey);
    expect(rgb).toMatchObject({ count: 2, height: 2, width: 2, channels: 3 });
    expect(Array.from(rgb.images.subarray(0, 12))).toEqual([0, 0, 0, 10, 10, 10, 200, 200, 200, 255, 255, 255]);
    expect(rgb.images).toHaveLength(24);
    expect(rgb.labels).toBe(grey.labels);
  });

  it('refuses images that are not single-channel', () => {
    const rgb: LabeledImages = {
      images: new Uint8Array(3),
      labels: new Uint8Array(1),
      count: 1,
      height: 1,
      width: 1,
      channels: 3,
    };
    expect(() => greyToRgb(rgb)).toThrow('greyToRgb: expected single-channel images; got 3 channels');
  });
});
