// Every vision task computes, in Node on wasm, the numbers committed in
// src/fixtures/task-fingerprints.json — which the browser test checks in Chromium too.
// Regenerate after a deliberate change: SELFSUP_UPDATE_FIXTURES=1 npx vitest run src/task-fingerprints.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprintError, type TaskFingerprint, visionTaskFingerprints } from './test-task-fingerprints.js';
import { visionTasks } from './vision-tasks.js';

const fixture = join(import.meta.dirname, 'fixtures', 'task-fingerprints.json');

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('vision task fingerprints (Node, wasm)', () => {
  it('every task: batch sums, loss and loss after one Adam step as committed, no leak', async () => {
    const fingerprints = await assertNoTensorLeak('visionTaskFingerprints', () => visionTaskFingerprints());
    if (process.env.SELFSUP_UPDATE_FIXTURES === '1')
      writeFileSync(fixture, `${JSON.stringify(fingerprints, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, TaskFingerprint>;
    expect(Object.keys(expected).sort()).toEqual(Object.keys(visionTasks).sort());
    for (const [id, fingerprint] of Object.entries(fingerprints)) {
      const reference = expected[id] as TaskFingerprint;
      expect(fingerprint.inputsShape, id).toEqual(reference.inputsShape);
      expect(fingerprintError(fingerprint, reference), id).toBeLessThan(1e-5);
      expect(fingerprint.lossAfterStep, `${id}: one step lowers the loss`).toBeLessThan(fingerprint.loss);
    }
  });
});
