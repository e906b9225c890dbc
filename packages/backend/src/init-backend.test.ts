import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { availableBackends, initBackend } from './init-backend.js';

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('initBackend', () => {
  it('picks wasm with the training kernels when tfjs-node is absent, and says why once', async () => {
    const lines: string[] = [];
    const info = await initBackend({ backend: 'auto', log: (line) => lines.push(line) });
    expect(info.name).toBe('wasm');
    expect(info.provider).toBe('@tensorflow/tfjs-backend-wasm');
    expect(info.trainingKernels).toBe(true);
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(1);
    expect(info.skipped.map((s) => s.provider)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(info.skipped.every((s) => s.reason === 'not installed')).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /using wasm.*skipped @tensorflow\/tfjs-node-gpu: not installed; @tensorflow\/tfjs-node: not installed/,
    );
    expect(tf.getBackend()).toBe('wasm');
    await initBackend({ backend: 'auto', log: (line) => lines.push(line) });
    expect(lines).toHaveLength(1);
  });

  it('honours SELFSUP_BACKEND and switches between backends', async () => {
    process.env.SELFSUP_BACKEND = 'cpu';
    const cpu = await initBackend({ log: false });
    expect(cpu.name).toBe('cpu');
    expect(cpu.trainingKernels).toBe(false);
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend({ backend: 'wasm', log: false });
    expect(wasm.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend name, listing the known ones', async () => {
    await expect(initBackend({ backend: 'metal' as never })).rejects.toThrow(
      "initBackend({ backend }): 'metal' is not a backend; known: auto, tfjs-node-gpu, tfjs-node, tensorflow, webgpu, webgl, wasm, cpu",
    );
    process.env.SELFSUP_BACKEND = 'gpu';
    await expect(initBackend()).rejects.toThrow(/SELFSUP_BACKEND: 'gpu' is not a backend; known:/);
  });

  it('explains that a requested backend is not installed and lists what is available', async () => {
    process.env.SELFSUP_BACKEND = 'tfjs-node';
    await expect(initBackend()).rejects.toThrow(
      /no backend could start for 'tfjs-node': @tensorflow\/tfjs-node \(not installed\)\. Available here: wasm, cpu\./,
    );
    expect(await availableBackends()).toEqual(['wasm', 'cpu']);
  });

  it('says why webgl does not start in Node', async () => {
    await expect(initBackend({ backend: 'webgl', log: false })).rejects.toThrow(/WebGL needs a browser/);
    // webgpu starts in Node through Dawn's `webgpu` package when it is installed: webgpu-node.test.ts.
  });

  it('rejects a bad thread count', async () => {
    await expect(initBackend({ backend: 'wasm', wasmThreads: 0 })).rejects.toThrow(/positive integer, got '0'/);
    process.env.SELFSUP_WASM_THREADS = 'two';
    await expect(initBackend({ backend: 'wasm' })).rejects.toThrow(
      /SELFSUP_WASM_THREADS: wasm threads must be a positive integer, got 'two'/,
    );
  });
});
