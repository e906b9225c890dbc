import { parseArgs } from 'node:util';
import { BACKEND_REQUESTS, type BackendRequest } from '@selfsup/backend';

/** The frame-order tasks the app trains. */
export const ORDER_TASKS = ['opn', 'shuffle-and-learn'] as const;
export type OrderTaskId = (typeof ORDER_TASKS)[number];

/** Everything a run needs, resolved (defaults filled in). */
export interface RunOptions {
  task: OrderTaskId;
  /** Videos made from Fashion-MNIST training items (pretraining and the probe's training frames). */
  trainVideos: number;
  /** Videos made from Fashion-MNIST test items (held out: order accuracy and the probe's test frames). */
  testVideos: number;
  /** Frames per video. */
  frames: number;
  /** Frames of the window each example is drawn from (the tasks' `windowSpan`; default: all `frames`). */
  windowSpan: number;
  /** Shuffle & Learn: fewest frames between a negative's outside frame and the tuple (default: the task's, windowSpan / 4). */
  minimumGap: number | undefined;
  /** Side of the rendered video frames. */
  renderSize: number;
  /** Side of the frames extracted for training. */
  size: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Encoder width multiplier (1: 32-64-128-128). */
  width: number;
  /** Frames per video for the downstream probe. */
  probeFrames: number;
  probeEpochs: number | undefined;
  /** Held-out batches the order accuracy is averaged over. */
  evaluationBatches: number;
  backend: BackendRequest | undefined;
  wasmThreads: number | undefined;
  seed: number;
  out: string;
  /** Where the generated videos live (default `<out>/videos`); reused when their manifest matches. */
  videos: string | undefined;
  maxSteps: number | undefined;
  quiet: boolean;
}

export const USAGE = `Usage: selfsup-video-order [options]

Generates videos from real data (Fashion-MNIST items moving, spinning and bouncing in a larger
frame, encoded to mp4 and webm with ffmpeg), extracts their frames with ffmpeg, pretrains a
per-frame encoder on a frame-order task, reports the order accuracy on held-out videos beside
chance, then probes the frame encoder on single frames (which item is it?) beside the random-init
and raw-pixel floors.

  --task <id>            ${ORDER_TASKS.join(' | ')} (default opn: order prediction, 12 classes)
  --train-videos <n>     videos of training items (default 300)
  --test-videos <n>      held-out videos of test items (default 100)
  --frames <n>           frames per video (default 24)
  --window-span <n>      frames of the window each example's frames are drawn from (default: the whole video)
  --minimum-gap <n>      shuffle-and-learn: fewest frames between a negative's middle frame and the
                         tuple's outer frames (default: a quarter of the window, as the paper's τmin/τmax)
  --render-size <n>      rendered frame side in pixels (default 48)
  --size <n>             extracted frame side in pixels (default 40)
  --epochs <n>           pretraining epochs over the training videos (default 60)
  --batch-size <n>       videos per step (default 32)
  --lr <x>               peak learning rate (default 3e-3)
  --width <x>            encoder width multiplier (default 1)
  --probe-frames <n>     frames per video for the downstream probe (default 4)
  --probe-epochs <n>     linear-probe epochs (default: the trainer's step budget)
  --eval-batches <n>     held-out batches for the order accuracy (default 10)
  --backend <name>       ${BACKEND_REQUESTS.join(' | ')} (default: SELFSUP_BACKEND or auto)
  --wasm-threads <n>     threads for the wasm backend (default 1)
  --seed <n>             seed of every random choice (default 0)
  --out <dir>            run directory (default runs/video-order-<task>)
  --videos <dir>         where to generate or reuse the videos (default <out>/videos)
  --max-steps <n>        stop pretraining after n steps
  --quiet                no progress output
  --help                 this text
`;

function positiveNumber(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new Error(`--${name}: expected a positive ${integer ? 'integer' : 'number'}, got '${value}'`);
  }
  return number;
}

/**
 * Parses the app's command line.
 * @throws an Error whose message names the flag and what is allowed (the caller prints it with the usage and exits 2).
 */
export function parseRunOptions(argv: string[]): RunOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      task: { type: 'string' },
      'train-videos': { type: 'string' },
      'test-videos': { type: 'string' },
      frames: { type: 'string' },
      'window-span': { type: 'string' },
      'minimum-gap': { type: 'string' },
      'render-size': { type: 'string' },
      size: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      width: { type: 'string' },
      'probe-frames': { type: 'string' },
      'probe-epochs': { type: 'string' },
      'eval-batches': { type: 'string' },
      backend: { type: 'string' },
      'wasm-threads': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      videos: { type: 'string' },
      'max-steps': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const task = (values.task ?? 'opn') as OrderTaskId;
  if (!ORDER_TASKS.includes(task)) {
    throw new Error(`--task: '${task}' is not a task of this app; known: ${ORDER_TASKS.join(', ')}`);
  }
  const backend = values.backend as BackendRequest | undefined;
  if (backend !== undefined && !BACKEND_REQUESTS.includes(backend))
    throw new Error(`--backend: '${backend}' is not a backend; known: ${BACKEND_REQUESTS.join(', ')}`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${values.seed}'`);
  const frames = positiveNumber('frames', values.frames, true) ?? 24;
  if (frames < 8) throw new Error(`--frames: order tasks need at least 8 frames per video, got ${frames}`);
  const windowSpan = positiveNumber('window-span', values['window-span'], true) ?? frames;
  if (windowSpan < 5 || windowSpan > frames) {
    throw new Error(`--window-span: expected 5 to --frames (${frames}) frames, got ${windowSpan}`);
  }
  const minimumGap = positiveNumber('minimum-gap', values['minimum-gap'], true);
  if (minimumGap !== undefined && 3 + 2 * minimumGap > windowSpan) {
    throw new Error(
      `--minimum-gap: b < c < d with ${minimumGap} frames free on each side need a window of ${3 + 2 * minimumGap} frames; --window-span is ${windowSpan}`,
    );
  }
  const renderSize = positiveNumber('render-size', values['render-size'], true) ?? 48;
  if (renderSize < 32 || renderSize % 2 !== 0) {
    throw new Error(`--render-size: expected an even number ≥ 32 (the items are 28 pixels), got ${renderSize}`);
  }
  return {
    task,
    trainVideos: positiveNumber('train-videos', values['train-videos'], true) ?? 300,
    testVideos: positiveNumber('test-videos', values['test-videos'], true) ?? 100,
    frames,
    windowSpan,
    minimumGap,
    renderSize,
    size: positiveNumber('size', values.size, true) ?? 40,
    epochs: positiveNumber('epochs', values.epochs, true) ?? 60,
    batchSize: positiveNumber('batch-size', values['batch-size'], true) ?? 32,
    learningRate: positiveNumber('lr', values.lr, false) ?? 3e-3,
    width: positiveNumber('width', values.width, false) ?? 1,
    probeFrames: positiveNumber('probe-frames', values['probe-frames'], true) ?? 4,
    probeEpochs: positiveNumber('probe-epochs', values['probe-epochs'], true),
    evaluationBatches: positiveNumber('eval-batches', values['eval-batches'], true) ?? 10,
    backend,
    wasmThreads: positiveNumber('wasm-threads', values['wasm-threads'], true),
    seed,
    out: values.out ?? `runs/video-order-${task}`,
    videos: values.videos,
    maxSteps: positiveNumber('max-steps', values['max-steps'], true),
    quiet: values.quiet ?? false,
  };
}
