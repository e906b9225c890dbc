// Video benchmark: frame extraction beside the plain ffmpeg command a user would type for the same
// frames (one process: select the evenly spaced frames, scale, raw RGB to a file; measured in the
// same run, interleaved), and the throughput of every frame-order task's batch generation.
//
//   npx -y pnpm@10 --filter @selfsup/video bench [-- --reps 20 --threads 2 --batch 64 --keep]
//
// Prints progress to stderr and one JSON line to stdout.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng, initBackend, type Tensor, tf } from '@selfsup/backend';
import { loadIdxImages } from '@selfsup/data';
import {
  evenlySpacedIndices,
  extractFrameBytes,
  extractFrames,
  loadVideos,
  probeVideo,
  resolveFfmpeg,
  sequenceBatch,
  videoTasks,
  writeBouncingItemVideos,
  writeLavfiVideo,
} from '../src/index.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '20' },
    threads: { type: 'string', default: '2' },
    batch: { type: 'string', default: '64' },
    keep: { type: 'boolean', default: false },
  },
});
const reps = Number(values.reps);
const threads = Number(values.threads);
const batchSize = Number(values.batch);
const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const stats = (xs: number[]) => ({
  median_s: Number(median(xs).toFixed(4)),
  mean_s: Number(mean(xs).toFixed(4)),
  min_s: Number(Math.min(...xs).toFixed(4)),
  max_s: Number(Math.max(...xs).toFixed(4)),
  n: xs.length,
});

const backend = await initBackend({ log: false });
const tools = await resolveFfmpeg();
const work = mkdtempSync(join(tmpdir(), 'selfsup-video-bench-'));
const loadStart = load();
log(
  `ffmpeg ${tools.ffmpeg.version} (${tools.ffmpeg.source}: ${tools.ffmpeg.path}); backend ${backend.name}; load ${loadStart}`,
);

const NFRAMES = 16;
const SIZE = 112;
const passthrough = /^([6-9]|\d\d)\.|^5\.[1-9]/.test(tools.ffmpeg.version) ? '-fps_mode' : '-vsync';

/** The plain command, spawned as a user would from a shell: one process, select + scale, raw RGB to a file. */
function plainFfmpeg(video: string, indices: number[], out: string): Promise<void> {
  const select = indices.map((i) => `eq(n\\,${i})`).join('+');
  const args = [
    ...['-hide_banner', '-v', 'error', '-y', '-threads', String(threads), '-i', video],
    ...['-vf', `select='${select}',scale=${SIZE}:${SIZE}`, passthrough, 'passthrough'],
    ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', out],
  ];
  return new Promise((resolve, reject) => {
    execFile(tools.ffmpeg.path, args, (error) => (error ? reject(error) : resolve()));
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const extraction: Record<string, unknown> = {};
for (const source of ['testsrc2', 'mandelbrot'] as const) {
  const synthStart = performance.now();
  const video = await writeLavfiVideo(source, join(work, `${source}.mp4`), { gop: 250, threads });
  const synthSeconds = (performance.now() - synthStart) / 1000;
  const probeSeconds = await timed(() => probeVideo(video));
  const meta = await probeVideo(video);
  const indices = evenlySpacedIndices(meta.frameCount, NFRAMES);
  const options = { size: SIZE, threads };
  const out = join(work, `${source}_select.rgb`);
  // Warm-up: page cache, fluent-ffmpeg's one-time capability checks, the metadata cache.
  await plainFfmpeg(video, indices, out);
  await extractFrameBytes(video, { count: NFRAMES }, options);
  const plain: number[] = [];
  const bytes: number[] = [];
  const tensors: number[] = [];
  for (let r = 0; r < reps; r++) {
    // Interleaved, so both see the same load.
    plain.push(await timed(() => plainFfmpeg(video, indices, out)));
    bytes.push(await timed(() => extractFrameBytes(video, { count: NFRAMES }, options)));
    tensors.push(
      await timed(async () => {
        const { frames } = await extractFrames(video, { count: NFRAMES }, options);
        frames.dispose();
      }),
    );
  }
  const ours = await extractFrameBytes(video, { count: NFRAMES }, options);
  const identical = Buffer.from(ours.data).equals(readFileSync(out));
  const fps = (xs: number[]) => Number((NFRAMES / median(xs)).toFixed(1));
  const result = {
    synth_s: Number(synthSeconds.toFixed(3)),
    nb_frames: meta.frameCount,
    indices: indices.join(' '),
    plain_ffmpeg: { ...stats(plain), frames_per_s: fps(plain) },
    extract_frame_bytes: { ...stats(bytes), frames_per_s: fps(bytes) },
    extract_frames_tensor: { ...stats(tensors), frames_per_s: fps(tensors) },
    probe_s: Number(probeSeconds.toFixed(4)),
    // Ratios of medians (robust to other tenants' bursts on a shared machine) and of means.
    ratio_bytes_vs_plain: Number((median(plain) / median(bytes)).toFixed(3)),
    ratio_tensor_vs_plain: Number((median(plain) / median(tensors)).toFixed(3)),
    ratio_tensor_vs_plain_means: Number((mean(plain) / mean(tensors)).toFixed(3)),
    ratio_cold_tensor_vs_plain: Number((median(plain) / (median(tensors) + probeSeconds)).toFixed(3)),
    outputs_identical: identical,
  };
  extraction[source] = result;
  log(
    `[${source}] plain ffmpeg ${result.plain_ffmpeg.frames_per_s} frames/s | extractFrameBytes ${result.extract_frame_bytes.frames_per_s} (${result.ratio_bytes_vs_plain}×) | extractFrames → tensor ${result.extract_frames_tensor.frames_per_s} (${result.ratio_tensor_vs_plain}×; with a cold probe ${result.ratio_cold_tensor_vs_plain}×) | identical ${identical}`,
  );
}

// Seeking: a 16-frame clip near the end of a 60 s video (keyframes every 250 frames), decoded
// with seek (from the keyframe before it) and without (from the first frame).
const longVideo = await writeLavfiVideo('testsrc2', join(work, 'long.mp4'), {
  durationSeconds: 60,
  gop: 250,
  threads,
});
const longMeta = await probeVideo(longVideo);
const clipIndices = Array.from({ length: NFRAMES }, (_, i) => longMeta.frameCount - 60 + i);
const seekOptions = { size: SIZE, threads, metadata: longMeta };
await extractFrameBytes(longVideo, { indices: clipIndices }, { ...seekOptions, seek: true });
const seeked: number[] = [];
const fromStart: number[] = [];
for (let r = 0; r < Math.max(3, Math.ceil(reps / 4)); r++) {
  seeked.push(
    await timed(() => extractFrameBytes(longVideo, { indices: clipIndices }, { ...seekOptions, seek: true })),
  );
  fromStart.push(
    await timed(() => extractFrameBytes(longVideo, { indices: clipIndices }, { ...seekOptions, seek: false })),
  );
}
const seekSame = Buffer.from(
  (await extractFrameBytes(longVideo, { indices: clipIndices }, { ...seekOptions, seek: true })).data,
).equals(
  Buffer.from((await extractFrameBytes(longVideo, { indices: clipIndices }, { ...seekOptions, seek: false })).data),
);
const seeking = {
  video: `testsrc2 ${longMeta.width}x${longMeta.height}@30fps 60 s libx264 GOP 250`,
  clip: `${NFRAMES} frames from ${clipIndices[0]}`,
  seek: stats(seeked),
  from_start: stats(fromStart),
  speedup: Number((median(fromStart) / median(seeked)).toFixed(2)),
  outputs_identical: seekSame,
};
log(
  `[seek] clip near the end of 60 s: seek ${seeking.seek.median_s} s, from the start ${seeking.from_start.median_s} s (${seeking.speedup}×), identical ${seekSame}`,
);

// Task batch generation: clips (examples) per second of makeBatch on decoded sequences.
const train = await loadIdxImages({ split: 'train' });
const itemsDir = join(work, 'items');
const written = await writeBouncingItemVideos(train, itemsDir, {
  items: Array.from({ length: 32 }, (_, i) => i * 11),
  frames: 24,
  frameSize: 64,
  codec: ['h264', 'vp9'],
});
const decodeStart = performance.now();
const loaded = await loadVideos(
  written.map((v) => v.file),
  { frames: { count: 24 }, size: 32, channels: 1, threads },
);
const decodeSeconds = (performance.now() - decodeStart) / 1000;
log(`decoded ${loaded.sequences.count} videos × 24 frames at 32×32 in ${decodeSeconds.toFixed(2)} s`);
const pool = Array.from({ length: batchSize }, (_, i) => i % loaded.sequences.count);
const tasks: Record<string, unknown> = {};
for (const [id, factory] of Object.entries(videoTasks)) {
  const task = (factory as () => { makeBatch(samples: Tensor, context: object): object })();
  const rng = createRng(0);
  const iterations = 20;
  // Warm-up (kernels, shapes).
  tf.dispose(task.makeBatch(sequenceBatch(loaded.sequences, pool), { rng, training: true }) as tf.TensorContainer);
  let makeSeconds = 0;
  let endToEndSeconds = 0;
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    const samples = sequenceBatch(loaded.sequences, pool);
    const made = performance.now();
    const batch = task.makeBatch(samples, { rng: rng.fork(`b${i}`), training: true });
    // Force the work: read one value of each output.
    for (const value of Object.values(batch)) if (value instanceof tf.Tensor) value.dataSync();
    const end = performance.now();
    makeSeconds += (end - made) / 1000;
    endToEndSeconds += (end - start) / 1000;
    tf.dispose([samples, batch as tf.TensorContainer]);
  }
  tasks[id] = {
    clips_per_s: Math.round((iterations * batchSize) / makeSeconds),
    with_sequence_batch_clips_per_s: Math.round((iterations * batchSize) / endToEndSeconds),
    ms_per_batch: Number(((1000 * makeSeconds) / iterations).toFixed(2)),
  };
  log(`[${id}] ${JSON.stringify(tasks[id])}`);
}

if (!values.keep) rmSync(work, { recursive: true, force: true });
console.log(
  JSON.stringify({
    script: 'video-bench.ts',
    ffmpeg: tools.ffmpeg.version,
    ffmpeg_source: tools.ffmpeg.source,
    backend: backend.name,
    reps,
    threads,
    nframes: NFRAMES,
    size: SIZE,
    video: '320x240@30fps 10s libx264 yuv420p GOP 250',
    extraction,
    seeking,
    task_batches: { batch: batchSize, sequence: '24 frames 32×32×1 (bouncing Fashion-MNIST, decoded)', tasks },
    decode_sequences_s: Number(decodeSeconds.toFixed(3)),
    loadavg_start: loadStart,
    loadavg_end: load(),
  }),
);
