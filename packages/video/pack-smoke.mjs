// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend, tf } from '@selfsup/backend';
import { extractFrames, orderPredictionTask, resolveFfmpeg, videoTasks, writeLavfiVideo } from '@selfsup/video';

await initBackend({ log: false });
const sequences = createRng(0).uniformTensor([2, 8, 16, 16, 1]);
const batch = orderPredictionTask().makeBatch(sequences, { rng: createRng(1), training: true });
if (batch.inputs.shape.join() !== '8,16,16,1') throw new Error(`order-prediction inputs [${batch.inputs.shape}]`);
tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices]);

let ffmpeg;
try {
  ffmpeg = await resolveFfmpeg();
} catch (error) {
  // No ffmpeg on this machine: the one error must say how to get one.
  if (!/needs ffmpeg and ffprobe.*apt-get install ffmpeg.*@ffmpeg-installer\/ffmpeg/s.test(error.message)) throw error;
}
let frames = 'no ffmpeg here (the install hint was given)';
if (ffmpeg !== undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'selfsup-video-smoke-'));
  try {
    const file = await writeLavfiVideo('testsrc2', join(dir, 'clip.webm'), {
      codec: 'vp9',
      width: 64,
      height: 48,
      fps: 10,
      durationSeconds: 2,
    });
    const extracted = await extractFrames(file, { count: 5 }, { size: 16 });
    if (extracted.frames.shape.join() !== '5,16,16,3') throw new Error(`frames [${extracted.frames.shape}]`);
    if (extracted.indices.join() !== '0,5,10,14,19') throw new Error(`indices ${extracted.indices}`);
    extracted.frames.dispose();
    frames = `ffmpeg ${ffmpeg.ffmpeg.version} (${ffmpeg.ffmpeg.source}) extracted 5 frames from a webm`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  `video: ${Object.keys(videoTasks).length} tasks (${Object.keys(videoTasks).join(', ')}) make batches; ${frames}`,
);
