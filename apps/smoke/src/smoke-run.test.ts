import { describe, expect, it } from 'vitest';
import { smokeRun } from './smoke-run.js';

describe('smoke run', () => {
  it('reduces the training loss of the reference encoder on real Fashion-MNIST images', async () => {
    const result = await smokeRun({ steps: 12, batchSize: 64, seed: 1 });
    expect(result.backend).toBe('wasm');
    expect(result.lastLoss).toBeLessThan(result.firstLoss * 0.8);
  });
});
