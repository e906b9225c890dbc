import { describe, expect, it } from 'vitest';
import { tf } from './index.js';
import { initBackend } from './init-backend.js';

describe('synchronous reads on webgpu (SwiftShader)', () => {
  it('throw, naming the asynchronous read, where the canvas readback returns zeros; data() reads', async () => {
    await initBackend({ backend: 'webgpu', log: false });
    const computed = tf.add(tf.range(0, 1000), 1);
    expect(() => computed.dataSync()).toThrow(
      /cannot read a webgpu tensor here: the SwiftShader adapter.*await tensor\.data\(\)/,
    );
    expect((await computed.data())[999]).toBe(1000);
    // Values still on the CPU read synchronously as before.
    const uploaded = tf.tensor1d([1, 2, 3]);
    expect(Array.from(uploaded.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([computed, uploaded]);
  });
});
