import { describe, expect, it } from 'vitest';
import { installedBackends } from './backend-requests.js';
import { tf } from './index.js';
import { initBackend } from './init-backend.js';
import { assertNoTensorLeak } from './memory.js';

/**
 * One small training computation: the gradient of a conv + matMul loss, as the trainer takes it,
 * read asynchronously (webgpu on SwiftShader cannot read synchronously: its canvas readback gives zeros).
 */
async function convGradient(): Promise<number[]> {
  const gradient = tf.tidy(() => {
    const input = tf.tensor4d(
      Array.from({ length: 2 * 6 * 6 * 3 }, (_, i) => Math.sin(i)),
      [2, 6, 6, 3],
    );
    const filter = tf.tensor4d(
      Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i) / 4),
      [3, 3, 3, 4],
    );
    const dense = tf.tensor2d(
      Array.from({ length: 4 * 2 }, (_, i) => (i - 3) / 5),
      [4, 2],
    );
    const grad = tf.grad((f: tf.Tensor) =>
      tf
        .relu(tf.conv2d(input, f as tf.Tensor4D, 1, 'same'))
        .mean([1, 2])
        .matMul(dense)
        .square()
        .sum(),
    );
    return grad(filter);
  });
  try {
    return Array.from(await gradient.data());
  } finally {
    gradient.dispose();
  }
}

describe('initBackend in a browser', () => {
  it('offers webgpu, webgl, wasm and cpu in Chromium', () => {
    expect(installedBackends()).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('starts cpu, wasm (with the training kernels, binaries from tfjs-wasm/), webgl and webgpu, and they agree on a gradient', async () => {
    const cpu = await initBackend({ backend: 'cpu', log: false });
    expect(cpu.name).toBe('cpu');
    const reference = await convGradient();

    const wasm = await initBackend({ backend: 'wasm', log: false });
    expect(wasm).toMatchObject({ name: 'wasm', simd: true, threads: 1, trainingKernels: true });
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = await convGradient();
    for (const [i, value] of reference.entries()) expect(onWasm[i]).toBeCloseTo(value, 4);
    await assertNoTensorLeak('convGradient on wasm', () => convGradient());

    for (const backend of ['webgl', 'webgpu'] as const) {
      const info = await initBackend({ backend, log: false });
      expect(info.name).toBe(backend);
      expect(tf.getBackend()).toBe(backend);
      const onGpu = await convGradient();
      expect({ backend, gradient: onGpu.map((v) => Number(v.toFixed(3))) }).toEqual({
        backend,
        gradient: reference.map((v) => Number(v.toFixed(3))),
      });
    }
  });

  it('auto picks webgpu first and names what it skipped', async () => {
    const info = await initBackend({ backend: 'auto', log: false });
    expect(['webgpu', 'webgl']).toContain(info.name);
    if (info.name === 'webgl') expect(info.skipped[0]?.provider).toBe('@tensorflow/tfjs-backend-webgpu');
  });

  it('says how to serve the wasm binaries when wasmPaths points nowhere', async () => {
    // A fresh page would be needed to retry wasm after it started; the hint is checked on the error text only.
    await expect(initBackend({ backend: 'tfjs-node', log: false })).rejects.toThrow(
      /no backend could start for 'tfjs-node'/,
    );
  });
});
