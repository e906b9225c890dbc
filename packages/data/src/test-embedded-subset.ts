// What the embedded Fashion-MNIST subset holds, pinned for both platforms: the Node test
// (`idx.test.ts`) and the browser test (`fashion-mnist.browser.test.ts`) load it and compare their
// summaries with these numbers. No node: imports (the browser test loads this module too).
import type { LabeledImages } from './fashion-mnist.js';

/** The shape, the images per label and FNV-1a checksums of the pixels and labels. */
export interface LabeledImagesSummary {
  count: number;
  height: number;
  width: number;
  labelCounts: number[];
  imagesChecksum: number;
  labelsChecksum: number;
}

/** FNV-1a (32 bits) of bytes. */
export function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** Summarises a loaded set. */
export function summarize(set: LabeledImages): LabeledImagesSummary {
  const labelCounts = new Array<number>(10).fill(0);
  for (const label of set.labels) labelCounts[label] = (labelCounts[label] ?? 0) + 1;
  return {
    count: set.count,
    height: set.height,
    width: set.width,
    labelCounts,
    imagesChecksum: fnv1a(set.images),
    labelsChecksum: fnv1a(set.labels),
  };
}

/** The embedded subset's summaries, by split. */
export const EMBEDDED_SUBSET: Record<'train' | 'test', LabeledImagesSummary> = {
  train: {
    count: 6000,
    height: 28,
    width: 28,
    labelCounts: new Array(10).fill(600),
    imagesChecksum: 2930433935,
    labelsChecksum: 2673365781,
  },
  test: {
    count: 1000,
    height: 28,
    width: 28,
    labelCounts: new Array(10).fill(100),
    imagesChecksum: 2139801000,
    labelsChecksum: 3959980067,
  },
};
