import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolder } from '../test-videos.js';
import { resolveFfmpeg } from './resolve-ffmpeg.node.js';

/** A stand-in binary: a shell script that answers -version like ffmpeg/ffprobe (or hangs). */
function fakeTool(dir: string, name: string, body?: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body ?? `echo "${name} version 9.9-fake Copyright (c) the FFmpeg developers"`}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('resolveFfmpeg', () => {
  it('takes FFMPEG_PATH / FFPROBE_PATH first, then an ffprobe beside FFMPEG_PATH', async () => {
    const dir = temporaryFolder('resolve-env');
    const ffmpeg = fakeTool(dir, 'ffmpeg');
    const ffprobe = fakeTool(dir, 'ffprobe');
    const other = temporaryFolder('resolve-env-other');
    const otherProbe = fakeTool(other, 'my-ffprobe', 'echo "ffprobe version 9.9-fake"');
    const both = await resolveFfmpeg({
      env: { FFMPEG_PATH: ffmpeg, FFPROBE_PATH: otherProbe, PATH: '' },
      cache: false,
    });
    expect(both).toEqual({
      ffmpeg: { path: ffmpeg, source: 'env', version: '9.9-fake' },
      ffprobe: { path: otherProbe, source: 'env', version: '9.9-fake' },
    });
    const sibling = await resolveFfmpeg({ env: { FFMPEG_PATH: ffmpeg, PATH: '' }, cache: false });
    expect(sibling.ffprobe).toEqual({ path: ffprobe, source: 'env', version: '9.9-fake' });
  });

  it('then the system PATH', async () => {
    const dir = temporaryFolder('resolve-path');
    fakeTool(dir, 'ffmpeg');
    fakeTool(dir, 'ffprobe');
    const tools = await resolveFfmpeg({ env: { PATH: `/nonexistent:${dir}` }, cache: false });
    expect(tools.ffmpeg).toEqual({ path: join(dir, 'ffmpeg'), source: 'system', version: '9.9-fake' });
    expect(tools.ffprobe.source).toBe('system');
  });

  it('then the npm installer packages, running their real binaries', async () => {
    const tools = await resolveFfmpeg({ env: { PATH: '' }, cache: false });
    expect(tools.ffmpeg.source).toBe('npm');
    expect(tools.ffmpeg.path).toContain('@ffmpeg-installer');
    expect(tools.ffprobe.source).toBe('npm');
    expect(tools.ffprobe.path).toContain('@ffprobe-installer');
    expect(tools.ffmpeg.version.length).toBeGreaterThan(0);
  });

  it('says in one error what is missing and how to install it', async () => {
    const none = resolveFfmpeg({ env: { PATH: '' }, npmPackages: false, cache: false });
    await expect(none).rejects.toThrow(
      '@selfsup/video needs ffmpeg and ffprobe, and found no ffmpeg and ffprobe (looked at FFMPEG_PATH/FFPROBE_PATH, PATH): set FFMPEG_PATH',
    );
    await expect(none).rejects.toThrow('apt-get install ffmpeg');
    await expect(none).rejects.toThrow('npm install @ffmpeg-installer/ffmpeg @ffprobe-installer/ffprobe');
    const dir = temporaryFolder('resolve-half');
    fakeTool(dir, 'ffmpeg');
    await expect(
      resolveFfmpeg({
        env: { PATH: dir },
        npmPackages: { ffmpeg: '@selfsup/no-such-ffmpeg', ffprobe: '@selfsup/no-such-ffprobe' },
        cache: false,
      }),
    ).rejects.toThrow(
      'found no ffprobe (looked at FFMPEG_PATH/FFPROBE_PATH, PATH, @selfsup/no-such-ffmpeg, @selfsup/no-such-ffprobe)',
    );
  });

  it('rejects an FFMPEG_PATH that is not there, a binary that is not ffmpeg, and one that hangs (killed)', async () => {
    await expect(
      resolveFfmpeg({ env: { FFMPEG_PATH: '/nonexistent/ffmpeg', PATH: '' }, cache: false }),
    ).rejects.toThrow('FFMPEG_PATH=/nonexistent/ffmpeg is not an executable file; set FFMPEG_PATH');
    const dir = temporaryFolder('resolve-bad');
    const impostor = fakeTool(dir, 'ffmpeg', 'echo "hello"');
    fakeTool(dir, 'ffprobe');
    await expect(resolveFfmpeg({ env: { FFMPEG_PATH: impostor, PATH: '' }, cache: false })).rejects.toThrow(
      `${impostor} is not ffmpeg: its -version output starts 'hello`,
    );
    const hangs = temporaryFolder('resolve-hang');
    const pidFile = join(hangs, 'pid');
    fakeTool(hangs, 'ffmpeg', `echo $$ > '${pidFile}'\nexec sleep 30`);
    fakeTool(hangs, 'ffprobe');
    await expect(
      resolveFfmpeg({ env: { FFMPEG_PATH: join(hangs, 'ffmpeg'), PATH: '' }, timeoutMs: 300, cache: false }),
    ).rejects.toThrow(`ffmpeg at ${join(hangs, 'ffmpeg')} did not answer -version within 300 ms and was killed`);
    // Killed, not left to hang: the process is gone once the promise has rejected.
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it('caches per environment, and never caches a failure', async () => {
    const dir = temporaryFolder('resolve-cache');
    fakeTool(dir, 'ffmpeg');
    fakeTool(dir, 'ffprobe');
    const first = resolveFfmpeg({ env: { PATH: dir } });
    expect(resolveFfmpeg({ env: { PATH: dir } })).toBe(first);
    await first;
    const empty = temporaryFolder('resolve-later');
    await expect(resolveFfmpeg({ env: { PATH: empty }, npmPackages: false })).rejects.toThrow('found no ffmpeg');
    fakeTool(empty, 'ffmpeg');
    fakeTool(empty, 'ffprobe');
    await expect(resolveFfmpeg({ env: { PATH: empty }, npmPackages: false })).resolves.toMatchObject({
      ffmpeg: { source: 'system' },
    });
  });
});
