// The vision tasks in Chromium: each builds its batch and trains one step to the numbers Node
// computes (src/fixtures/task-fingerprints.json, checked in Node by task-fingerprints.test.ts).
import { assertNoTensorLeak, initBackend } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import expected from './fixtures/task-fingerprints.json' with { type: 'json' };
import { fingerprintError, type TaskFingerprint, visionTaskFingerprints } from './test-task-fingerprints.js';

const references = expected as Record<string, TaskFingerprint>;

describe('vision tasks in Chromium', () => {
  it('on wasm: the same batches, losses and one-step losses as Node, no leak', async () => {
    await initBackend({ backend: 'wasm', log: false });
    const fingerprints = await assertNoTensorLeak('visionTaskFingerprints', () => visionTaskFingerprints());
    expect(Object.keys(fingerprints).sort()).toEqual(Object.keys(references).sort());
    for (const [id, fingerprint] of Object.entries(fingerprints)) {
      const reference = references[id] as TaskFingerprint;
      expect(fingerprint.inputsShape, id).toEqual(reference.inputsShape);
      expect(fingerprintError(fingerprint, reference), id).toBeLessThan(1e-5);
    }
  });

  // SwiftShader compiles a shader per op shape (minutes for all seven tasks): one CNN task here.
  // (MAE's ViT differs by 0.7 % on SwiftShader's WebGL: under investigation, see the backend README.)
  it('on webgl (rotation): the same within float32-on-GPU tolerance', async () => {
    await initBackend({ backend: 'webgl', log: false });
    const fingerprints = await visionTaskFingerprints(['rotation']);
    expect(Object.keys(fingerprints)).toEqual(['rotation']);
    for (const [id, fingerprint] of Object.entries(fingerprints)) {
      expect(fingerprintError(fingerprint, references[id] as TaskFingerprint), id).toBeLessThan(2e-3);
    }
  });
});
