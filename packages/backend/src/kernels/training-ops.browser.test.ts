import { describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';
import { assertNoTensorLeak } from '../memory.js';
import { maxRelativeError, runOn } from '../testing/backend-parity.js';
import { TRAINING_OP_CASES, valueAndGradients } from '../testing/training-op-cases.js';

/**
 * Every op training runs (TRAINING_OP_CASES), value and gradients, on webgl and webgpu against cpu
 * within 1e-3 of the largest value (float32 on SwiftShader here: a correctness check, not speed).
 */
const TOLERANCE = 1e-3;

describe.each(['webgl', 'webgpu'] as const)('every training op on %s matches cpu', (backend) => {
  it.each(TRAINING_OP_CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_, testCase) => {
    await initBackend({ backend: 'cpu', log: false });
    await initBackend({ backend, log: false });
    const compute = valueAndGradients(testCase);
    const expected = await runOn('cpu', testCase.inputs, compute);
    // Leak-free on the GPU backend too (the corrected kernels free their intermediates).
    const actual = await assertNoTensorLeak(`${testCase.name} on ${backend}`, () =>
      runOn(backend, testCase.inputs, compute),
    );
    const errors = actual.map((output, i) => maxRelativeError(output, expected[i] as (typeof expected)[number]));
    expect({ backend, errors: errors.map((e) => (e < TOLERANCE ? 'ok' : e)) }).toEqual({
      backend,
      errors: errors.map(() => 'ok'),
    });
  });
});
