import { describe, expect, it } from 'vitest';
import { jigsawTask } from './jigsaw/jigsaw-task.js';
import { relativeLocationTask } from './relative-location/relative-location-task.js';
import { tileGeometry } from './tile-geometry.js';

describe('tileGeometry', () => {
  it("is the tasks' defaults at 28 px and the same proportions on larger images", () => {
    const at28 = tileGeometry(28);
    expect(at28).toEqual({
      jigsaw: { cellSize: 9, tileSize: 7 },
      relativeLocation: { patchSize: 7, gap: 2, jitter: 1 },
    });
    expect(jigsawTask().options).toMatchObject(at28.jigsaw);
    expect(relativeLocationTask().options).toMatchObject(at28.relativeLocation);
    expect(tileGeometry(64)).toEqual({
      jigsaw: { cellSize: 21, tileSize: 16 },
      relativeLocation: { patchSize: 16, gap: 4, jitter: 2 },
    });
  });

  it('fits every size from 28 to 256 px: tiles inside their cells, gaps wider than the jitter', () => {
    for (let size = 28; size <= 256; size++) {
      const { jigsaw, relativeLocation } = tileGeometry(size);
      expect(3 * jigsaw.cellSize).toBeLessThanOrEqual(size);
      expect(jigsaw.tileSize).toBeLessThan(jigsaw.cellSize);
      const { patchSize, gap, jitter } = relativeLocation;
      expect(3 * patchSize + 2 * gap + 2 * jitter).toBeLessThanOrEqual(size);
      expect(gap).toBeGreaterThan(jitter);
    }
  });

  it('refuses images too small for the tiles', () => {
    expect(() => tileGeometry(20)).toThrow(
      'tileGeometry: imageSize must be an integer ≥ 28 (3 tiles and their gaps); got 20',
    );
    expect(() => tileGeometry(30.5)).toThrow('got 30.5');
  });
});
