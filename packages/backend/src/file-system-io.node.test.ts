import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('file:// models without tfjs-node', () => {
  it('saves a LayersModel to file:// and loads it back with the same predictions', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'file-io-')), 'model');
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 2 })],
    });
    const input = tf.tensor2d([[1, 2, 3, 4]]);
    await model.save(`file://${dir}`);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await tf.loadLayersModel(`file://${dir}/model.json`);
    expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(input) as tf.Tensor).dataSync()),
    );
    await model.save(`file://${dir}`); // replaces atomically
    expect(readdirSync(join(dir, '..'))).toEqual(['model']);
    await expect(tf.loadLayersModel(`file://${dir}/missing.json`)).rejects.toThrow(/missing\.json: ENOENT/);
    expect(existsSync(join(dir, 'weights.bin'))).toBe(true);
    tf.dispose([input]);
    model.dispose();
    loaded.dispose();
  });
});
