import { assertNoTensorLeak, createRng, initBackend, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoCrops } from '../test-images.js';
import { abGamutBins, annealedMeanAb, nearestAbBin, softEncodeAb } from './ab-quantization.js';
import { estimateAbPrior, rebalancingWeights } from './class-rebalancing.js';
import { rgbToLab, rgbToLabValues } from './lab.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('quantized ab space', () => {
  it('keeps the bins the sRGB gamut reaches, on a grid of binSize, and every colour lies in its bin', () => {
    const bins = abGamutBins(10);
    expect(bins.count).toBeGreaterThan(240);
    expect(bins.count).toBeLessThan(330);
    for (const c of bins.centers) expect(Math.abs(c % 10)).toBe(0);
    expect(abGamutBins(10)).toEqual(bins);
    const colours = createRng(0).uniformTensor([500, 3]);
    const ab = tf.slice(rgbToLab(colours), [0, 1], [-1, 2]) as Tensor2D;
    const nearest = nearestAbBin(ab, bins).dataSync();
    const values = ab.arraySync() as number[][];
    values.forEach(([a, b], i) => {
      const q = nearest[i] as number;
      expect(Math.abs((a as number) - (bins.centers[2 * q] as number))).toBeLessThanOrEqual(5 + 1e-3);
      expect(Math.abs((b as number) - (bins.centers[2 * q + 1] as number))).toBeLessThanOrEqual(5 + 1e-3);
    });
    tf.dispose([colours, ab]);
  });

  it('scans the gamut on plain numbers as rgbToLab converts on tensors: the same bins', () => {
    const levels = 64;
    const colours = new Float32Array(levels ** 3 * 3).map((_, i) => {
      const colour = Math.floor(i / 3);
      const level = [Math.floor(colour / levels ** 2), Math.floor(colour / levels) % levels, colour % levels][i % 3];
      return (level as number) / (levels - 1);
    });
    const lab = tf.tidy(() => rgbToLab(tf.tensor2d(colours, [levels ** 3, 3])).dataSync());
    const values = rgbToLabValues(colours);
    let largest = 0;
    for (let i = 0; i < lab.length; i++)
      largest = Math.max(largest, Math.abs((lab[i] as number) - (values[i] as number)));
    expect(largest).toBeLessThan(1e-3);
    for (const binSize of [10, 5, 7.5, 13]) {
      const occupied = new Set<string>();
      for (let i = 0; i < levels ** 3; i++) {
        occupied.add(
          `${Math.round((lab[3 * i + 1] as number) / binSize)},${Math.round((lab[3 * i + 2] as number) / binSize)}`,
        );
      }
      const bins = abGamutBins(binSize);
      const scanned = new Set<string>();
      for (let q = 0; q < bins.count; q++) {
        scanned.add(`${(bins.centers[2 * q] as number) / binSize},${(bins.centers[2 * q + 1] as number) / binSize}`);
      }
      expect(scanned, `binSize ${binSize}`).toEqual(occupied);
    }
  });

  it('soft-encodes over the 5 nearest bins with Gaussian weights, and the annealed mean decodes', async () => {
    const bins = abGamutBins(10);
    const ab = tf.tensor2d([
      [12, -33],
      [0, 0],
      [60, 70],
    ]);
    const soft = softEncodeAb(ab, bins);
    const rows = soft.arraySync() as number[][];
    const distances = (a: number, b: number) =>
      Array.from({ length: bins.count }, (_, q) =>
        Math.hypot(a - (bins.centers[2 * q] as number), b - (bins.centers[2 * q + 1] as number)),
      );
    (ab.arraySync() as number[][]).forEach(([a, b], i) => {
      const row = rows[i] as number[];
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      const nonZero = row.map((v, q) => [v, q] as const).filter(([v]) => v > 0);
      expect(nonZero).toHaveLength(5);
      const d = distances(a as number, b as number);
      const fifth = [...d].sort((x, y) => x - y)[4] as number;
      for (const [v, q] of nonZero) {
        expect(d[q]).toBeLessThanOrEqual(fifth + 1e-4);
        // Gaussian weights of width 5, relative to the nearest bin.
        const nearest = Math.min(...d);
        const ratio = v / (row[d.indexOf(nearest)] as number);
        expect(ratio).toBeCloseTo(Math.exp(-((d[q] as number) ** 2 - nearest ** 2) / 50), 4);
      }
    });
    // A sharp distribution on one bin decodes to that bin's centre.
    const sharp = tf.mul(tf.oneHot(tf.tensor1d([7], 'int32'), bins.count), 50);
    expect(Array.from(annealedMeanAb(sharp, bins, 0.38).dataSync())).toEqual([
      bins.centers[14] as number,
      bins.centers[15] as number,
    ]);
    await assertNoTensorLeak('softEncodeAb', () => softEncodeAb(ab, bins));
    await assertNoTensorLeak('annealedMeanAb', () => annealedMeanAb(soft, bins));
    await assertNoTensorLeak('nearestAbBin', () => nearestAbBin(ab, bins));
    tf.dispose([ab, soft, sharp]);
  });

  it('rebalances: E_p[w] = 1, rare colours weigh more, λ = 1 is uniform; the prior comes from real photos', async () => {
    const bins = abGamutBins(10);
    const photos = await photoCrops();
    const prior = estimateAbPrior(photos, bins);
    expect(prior.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
    // Photos of flowers, grass, sky: mass near grey and in the orange/green/blue regions, little in saturated purple.
    const weights = rebalancingWeights(prior, 0.5);
    expect(prior.reduce((s, p, q) => s + p * (weights[q] as number), 0)).toBeCloseTo(1, 4);
    const common = prior.indexOf(Math.max(...prior));
    const rare = prior.indexOf(Math.min(...prior));
    expect(weights[rare]).toBeGreaterThan(weights[common] as number);
    for (const w of rebalancingWeights(prior, 1)) expect(w).toBeCloseTo(1, 5);
    expect(() => rebalancingWeights([0.5, 0.2], 0.5)).toThrow('rebalancingWeights: the prior must sum to 1');
    photos.dispose();
  });
});
