import { type AppSpec, CliError } from '@selfsup/cli';
import { FASHION_MNIST_CLASSES, loadIdxImages } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import { encoderEvaluation, evaluateTaskMetrics, taskObjective } from '@selfsup/trainer';
import {
  type BouncingItemVideoFile,
  cachedBouncingItemVideos,
  type FrameSequences,
  labeledFrames,
  loadVideos,
  resolveFfmpeg,
  sequenceBatches,
  videoTasks,
} from '@selfsup/video';

/** The app's own flags; `--out`, `--resume`, `--backend`, `--max-steps`, `--quiet` are every app's. */
const FLAGS = {
  task: {
    type: 'string',
    default: 'opn',
    choices: ['opn', 'shuffle-and-learn'],
    description: 'frame-order task: OPN order prediction (12 classes) or Shuffle & Learn (in order or not)',
  },
  'train-videos': { type: 'integer', min: 1, default: 300, description: 'videos of Fashion-MNIST training items' },
  'test-videos': { type: 'integer', min: 1, default: 100, description: 'held-out videos of Fashion-MNIST test items' },
  frames: { type: 'integer', min: 8, default: 24, description: 'frames per video' },
  'window-span': {
    type: 'integer',
    min: 5,
    description: "frames of the window each example's frames are drawn from (default: the whole video)",
  },
  'minimum-gap': {
    type: 'integer',
    min: 1,
    description: "shuffle-and-learn: fewest frames between a negative's odd frame and the tuple (default: window / 4)",
  },
  'render-size': { type: 'integer', min: 32, default: 48, description: 'rendered frame side in pixels, even' },
  size: { type: 'integer', min: 8, default: 40, description: 'side of the frames decoded for training' },
  epochs: { type: 'integer', min: 1, default: 60, description: 'pretraining epochs over the training videos' },
  'batch-size': { type: 'integer', min: 1, default: 32, description: 'videos per step' },
  lr: { type: 'number', min: 0, default: 3e-3, description: 'peak learning rate (warmup 1 epoch, cosine to 1 %)' },
  width: { type: 'number', min: 0, default: 1, description: 'encoder width multiplier (1: 32-64-128-128)' },
  'probe-frames': { type: 'integer', min: 1, default: 4, description: 'frames per video for the downstream probe' },
  'probe-epochs': { type: 'integer', min: 1, description: "linear-probe epochs (default: the trainer's step budget)" },
  'eval-batches': { type: 'integer', min: 1, default: 10, description: 'batches the order accuracy is averaged over' },
  seed: { type: 'integer', min: 0, default: 0, description: 'seed of every random choice' },
  videos: {
    type: 'string',
    default: 'runs/video-order-videos',
    placeholder: 'dir',
    description: 'where generated videos are kept, a folder per settings, reused by later runs',
  },
} as const;

const percent = (value: unknown) => `${(100 * Number(value)).toFixed(1)} %`;

/**
 * Frame-order pretraining on real video files: Fashion-MNIST items moving, spinning, bouncing and
 * moving in depth, encoded to mp4 and webm and decoded back with ffmpeg; a per-frame encoder
 * learns OPN or Shuffle & Learn; the order accuracy on held-out videos is measured beside chance,
 * and the frame encoder is probed on single frames beside the random-init and raw-pixel floors.
 */
export const VIDEO_ORDER_APP: AppSpec<typeof FLAGS> = {
  name: 'selfsup-video-order',
  summary:
    'Generates videos from real data (Fashion-MNIST items moving, spinning and bouncing, mp4 and webm\nwritten and decoded with ffmpeg), pretrains a per-frame encoder on a frame-order task, reports the\norder accuracy on held-out videos beside chance, then probes the frame encoder on single frames\n(which item is it?) beside the random-init and raw-pixel floors.',
  flags: FLAGS,
  defaultOut: (v) => `runs/video-order-${v.task}`,
  experiment(v) {
    const windowSpan = v['window-span'] ?? v.frames;
    const gap = v['minimum-gap'];
    const problems = [
      windowSpan > v.frames && `--window-span: expected at most --frames (${v.frames}), got ${windowSpan}`,
      gap !== undefined &&
        3 + 2 * gap > windowSpan &&
        `--minimum-gap: b < c < d with ${gap} frames free on each side need a window of ${3 + 2 * gap} frames; the window is ${windowSpan}`,
      v['render-size'] % 2 === 1 && `--render-size: expected an even number (h264), got ${v['render-size']}`,
      v['batch-size'] > v['train-videos'] &&
        `--batch-size: ${v['batch-size']} is more than the ${v['train-videos']} training videos`,
    ].filter((problem) => typeof problem === 'string');
    if (problems.length > 0) throw new CliError('usage', problems.join('; '));
    const opn = v.task === 'opn' ? videoTasks['order-prediction']({ windowSpan }) : undefined;
    const task =
      opn ?? videoTasks['shuffle-and-learn']({ windowSpan, ...(gap === undefined ? {} : { minimumGap: gap }) });
    const positive = 'positiveFraction' in task.options ? task.options.positiveFraction : 0;
    const classes = opn?.orders.length ?? 2;
    const chance = opn === undefined ? Math.max(positive, 1 - positive) : 1 / classes;
    const metric = opn === undefined ? 'orderVerificationAccuracy' : 'orderAccuracy';
    // The run's settings are the app's own flags (not where it runs, how far, or how loudly).
    const settings = Object.fromEntries(Object.keys(FLAGS).map((name) => [name, v[name as keyof typeof FLAGS]]));
    return {
      title: `selfsup ${task.id} on bouncing Fashion-MNIST videos`,
      objective: { kind: 'task', id: task.id },
      config: { ...settings, 'window-span': windowSpan, taskOptions: task.options },
      mayChangeOnResume: ['videos'],
      training: {
        epochs: v.epochs,
        optimizer: { kind: 'adam' },
        schedule: ({ stepsPerEpoch, totalSteps }) => ({
          kind: 'warmup-cosine',
          learningRate: v.lr,
          warmupSteps: Math.min(totalSteps, stepsPerEpoch),
          totalSteps,
          finalLearningRate: v.lr * 0.01,
        }),
        seed: v.seed,
      },
      async prepare({ log }) {
        const tools = await resolveFfmpeg();
        const ffmpeg = `${tools.ffmpeg.version} (${tools.ffmpeg.source})`;
        const items = async (split: 'train' | 'test') => ({
          items: await loadIdxImages({ split }),
          count: v[`${split}-videos`],
        });
        const videos = await cachedBouncingItemVideos(v.videos, {
          splits: { train: await items('train'), test: await items('test') },
          frames: v.frames,
          frameSize: v['render-size'],
          // Items spin, bounce and move in depth (grow or shrink by 25–40 %): changes a per-frame
          // encoder with global pooling can see (it is blind to where an item is).
          scale: [0.8, 1],
          zoom: [0.25, 0.4],
          fps: 12,
          codec: ['h264', 'vp9'],
          seed: v.seed,
          log,
        });
        const decodeStarted = performance.now();
        const decode = async (files: BouncingItemVideoFile[] = []) => {
          const loaded = await loadVideos(
            files.map((video) => video.file),
            { frames: { count: v.frames }, size: v.size, channels: 1, onError: 'skip' },
          );
          for (const { file, reason, message } of loaded.skipped) log(`skipped ${file} (${reason}): ${message}`);
          const labels = loaded.files.map((file) => files.find((video) => video.file === file)?.label ?? 0);
          return { ...loaded, probe: labeledFrames(loaded.sequences, labels, v['probe-frames']) };
        };
        const train = await decode(videos.splits.train);
        const test = await decode(videos.splits.test);
        const decodeSeconds = (performance.now() - decodeStarted) / 1000;
        log(
          `decoded ${train.sequences.count} training and ${test.sequences.count} held-out videos with ffmpeg ${ffmpeg} in ${decodeSeconds.toFixed(1)} s`,
        );
        const widths = [32, 64, 128, 128].map((w) => Math.max(1, Math.round(w * v.width)));
        const encoder = createSmallCnn({ inputShape: [v.size, v.size, 1], widths, seed: v.seed });
        const objective = taskObjective(task, encoder, { seed: v.seed + 1 });
        const orderAccuracy = async (sequences: FrameSequences) => {
          const data = sequenceBatches(sequences, { batchSize: v['batch-size'], seed: v.seed, dropRemainder: false });
          const scoring = { batches: v['eval-batches'], seed: v.seed };
          return (await evaluateTaskMetrics(task, objective, data, scoring))[metric] ?? null;
        };
        const probeEpochs = v['probe-epochs'];
        return {
          objective,
          encoder,
          data: sequenceBatches(train.sequences, { batchSize: v['batch-size'], seed: v.seed }),
          examples: 'videos',
          exampleCount: train.sequences.count,
          dataDescription: `${train.sequences.count} training and ${test.sequences.count} held-out videos of Fashion-MNIST items (${v.frames} frames at ${v.size}×${v.size}) in ${videos.dir}`,
          dataFingerprint: videos.key,
          evaluation: encoderEvaluation(encoder, {
            train: train.probe,
            test: test.probe,
            classes: FASHION_MNIST_CLASSES.length,
            knnK: 20,
            seed: v.seed,
            log,
            ...(probeEpochs === undefined ? {} : { probeEpochs }),
          }),
          async measure() {
            return {
              orderAccuracy: await orderAccuracy(test.sequences),
              trainOrderAccuracy: await orderAccuracy(train.sequences),
              orderChance: chance,
              orderClasses: classes,
              trainVideos: train.sequences.count,
              testVideos: test.sequences.count,
              skippedVideos: train.skipped.length + test.skipped.length,
              probeTrainFrames: train.probe.count,
              probeTestFrames: test.probe.count,
              generateSeconds: videos.seconds,
              decodeSeconds,
              ffmpeg,
            };
          },
          reportSummary: { ffmpeg },
          dispose() {
            objective.dispose();
            encoder.dispose();
          },
        };
      },
    };
  },
  describe: ({ measures: m }) => [
    `order accuracy ${percent(m.orderAccuracy)} on held-out videos, ${percent(m.trainOrderAccuracy)} on training videos, chance ${percent(m.orderChance)}`,
  ],
};
