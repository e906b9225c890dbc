import { assertNoTensorLeak, tf, variableFromTensor } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { momentumUpdate } from './momentum-update.js';
import { useWasm } from './test-inputs.js';

beforeAll(useWasm);

describe('momentumUpdate', () => {
  it('moves every target toward its online variable in place (target = m·target + (1 − m)·online), leaking nothing', async () => {
    const target = [variableFromTensor(tf.tensor1d([0, 0])), variableFromTensor(tf.tensor2d([[1]]))];
    const online = [variableFromTensor(tf.tensor1d([1, 2])), variableFromTensor(tf.tensor2d([[3]]))];
    const identity = target.map((v) => v.id);
    await assertNoTensorLeak('momentumUpdate', () => momentumUpdate(target, online, 0.9));
    expect(target.map((v) => v.id)).toEqual(identity); // the same variables, updated
    expect(Array.from(target[0]?.dataSync() ?? [])).toEqual([0.1, 0.2].map(Math.fround));
    expect(target[1]?.dataSync()[0]).toBeCloseTo(0.9 * 1 + 0.1 * 3, 6);
    expect(Array.from(online[0]?.dataSync() ?? [])).toEqual([1, 2]); // online untouched
    momentumUpdate(target, online, 0); // m = 0 copies
    expect(Array.from(target[0]?.dataSync() ?? [])).toEqual([1, 2]);
    momentumUpdate(target, [tf.tensor1d([5, 5]), tf.tensor2d([[7]])], 1); // m = 1 keeps; plain tensors are accepted
    expect(Array.from(target[0]?.dataSync() ?? [])).toEqual([1, 2]);
    tf.dispose([...target, ...online]);
  });

  it('rejects mismatched lists, shapes and momenta before updating anything', () => {
    const target = [variableFromTensor(tf.tensor1d([0, 0]), { name: 'target/w' })];
    const online = [variableFromTensor(tf.tensor1d([1, 2, 3]), { name: 'online/w' })];
    expect(() => momentumUpdate(target, [], 0.9)).toThrow('momentumUpdate: 1 target variables but 0 online variables');
    expect(() => momentumUpdate(target, online, 0.9)).toThrow(
      'momentumUpdate: pair 0 differs: target/w is float32 [2], online/w is float32 [3]',
    );
    expect(() => momentumUpdate(target, target, 1.5)).toThrow('momentumUpdate: momentum must be in [0, 1]; got 1.5');
    expect(() => momentumUpdate(target, target, Number.NaN)).toThrow(/momentum must be in \[0, 1\]/);
    expect(Array.from(target[0]?.dataSync() ?? [])).toEqual([0, 0]);
    tf.dispose([...target, ...online]);
  });
});
