import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampledDigest } from './video-folder-data.js';

describe('sampledDigest (what a resume compares of each video)', () => {
  it('changes with the size and with the first or last 64 KiB; a middle byte is not read', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'selfsup-video-digest-')), 'clip.mp4');
    const bytes = Buffer.alloc(200_000, 7);
    const digestOf = async (content: Buffer) => {
      writeFileSync(path, content);
      return sampledDigest(path);
    };
    const original = await digestOf(bytes);
    expect(original).toMatch(/^200000:[0-9a-f]{64}$/);
    expect(await digestOf(bytes)).toBe(original);
    const edit = (at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] = 8;
      return copy;
    };
    expect(await digestOf(edit(10))).not.toBe(original);
    expect(await digestOf(edit(199_999))).not.toBe(original);
    expect(await digestOf(bytes.subarray(0, 199_000))).not.toBe(original);
    // The cost of reading 128 KiB, not gigabytes: an edit in the middle keeping the size goes unseen.
    expect(await digestOf(edit(100_000))).toBe(original);
    expect(await digestOf(Buffer.from('tiny'))).toMatch(/^4:/);
  });
});
