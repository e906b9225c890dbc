/** Where jigsaw and relative location cut their tiles on square images of a given side. */
export interface TileGeometry {
  /** `jigsawTask` options: a 3×3 grid of cells, a smaller tile at a random place in each. */
  jigsaw: { cellSize: number; tileSize: number };
  /** `relativeLocationTask` options: a 3×3 arrangement of patches with gaps and jitter. */
  relativeLocation: { patchSize: number; gap: number; jitter: number };
}

/**
 * The tile geometry of jigsaw and relative location on square images of `imageSize` px: on 28×28
 * Fashion-MNIST images, the tasks' defaults — jigsaw cells of 9 px with 7-px tiles,
 * relative-location patches of 7 px with gaps of 2 and jitter of 1 — and on larger images (photo
 * patches) the same proportions: cells of ⌊S/3⌋ with tiles of 7/9 of a cell, patches of ⌊S/4⌋
 * with gaps of ⌊S/14⌋ and jitter of ⌊S/28⌋, so a tile covers the same share of the image.
 *
 * @example
 * const { jigsaw } = tileGeometry(64); // { cellSize: 21, tileSize: 16 }
 * const task = jigsawTask({ ...jigsaw, permutations: 100 });
 * @throws if `imageSize` is not an integer ≥ 28 (below it the tiles and their gaps do not fit).
 */
export function tileGeometry(imageSize: number): TileGeometry {
  if (!Number.isInteger(imageSize) || imageSize < 28) {
    throw new Error(`tileGeometry: imageSize must be an integer ≥ 28 (3 tiles and their gaps); got ${imageSize}`);
  }
  const cellSize = Math.floor(imageSize / 3);
  return {
    jigsaw: { cellSize, tileSize: Math.round((cellSize * 7) / 9) },
    relativeLocation: {
      patchSize: Math.floor(imageSize / 4),
      gap: Math.floor(imageSize / 14),
      jitter: Math.floor(imageSize / 28),
    },
  };
}
