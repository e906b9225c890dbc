import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import type { MethodDeclaration } from './method-declaration.js';

/**
 * The defaults of `createDino`, DINO's (Caron et al. 2021, arXiv:2104.14294, and its official
 * `main_dino.py`) where they fit small images, scaled down where they do not:
 * - student temperature 0.1; teacher temperature warmed up linearly from 0.04 to 0.07 over the
 *   first 30 % of training (the paper: 0.04 → 0.07 over the first 30 epochs);
 * - center momentum 0.9; teacher EMA 0.996 rising to 1 by a cosine;
 * - the head's last layer frozen for the first 1 % of steps (the paper: the first epoch of 100)
 *   and weight-normalized;
 * - head: 3 linear layers with GELU, hidden width 2× the encoder's features (DINO: 2048),
 *   bottleneck 64 (DINO: 256), 1024 outputs (DINO: 65 536) — scaled to small encoders and datasets;
 * - views: 2 global crops of the image's size and 6 local crops (DINO: 224 px global, 96 px local,
 *   8 local crops in the code, 10 in the paper's best runs); local crops are made at the
 *   encoder's input size, since the encoders here take one size.
 */
export const DINO_DEFAULTS = {
  studentTemp: 0.1,
  teacherTemp: 0.07,
  warmupTeacherTemp: 0.04,
  teacherTempWarmup: 0.3,
  centerMomentum: 0.9,
  momentum: 0.996,
  freezeLastLayer: 0.01,
  bottleneckSize: 64,
  outputSize: 1024,
  layers: 3,
  normLastLayer: true,
  localCrops: 6,
  hiddenSize: (featureSize: number) => 2 * featureSize,
};

const fraction = () => z.number().min(0).max(1);

const options = section({
  studentTemp: z.number().positive().default(DINO_DEFAULTS.studentTemp).describe('student softmax temperature'),
  teacherTemp: z
    .number()
    .positive()
    .default(DINO_DEFAULTS.teacherTemp)
    .describe('teacher softmax temperature after the warm-up (sharpening)'),
  warmupTeacherTemp: z
    .number()
    .positive()
    .default(DINO_DEFAULTS.warmupTeacherTemp)
    .describe('teacher temperature at the first step'),
  teacherTempWarmup: fraction()
    .default(DINO_DEFAULTS.teacherTempWarmup)
    .describe('fraction of the steps over which the teacher temperature rises linearly'),
  centerMomentum: fraction()
    .default(DINO_DEFAULTS.centerMomentum)
    .describe('EMA rate of the center of the teacher outputs'),
  momentum: fraction()
    .default(DINO_DEFAULTS.momentum)
    .describe('base EMA rate of the teacher, rising to 1 by a cosine'),
  freezeLastLayer: fraction()
    .default(DINO_DEFAULTS.freezeLastLayer)
    .describe('fraction of the steps during which the head’s last layer is not trained'),
  hiddenSize: positiveInteger().optional().describe('head hidden width; default 2× features'),
  bottleneckSize: positiveInteger().default(DINO_DEFAULTS.bottleneckSize).describe('head bottleneck (L2-normalized)'),
  outputSize: positiveInteger().default(DINO_DEFAULTS.outputSize).describe('head outputs (DINO’s K)'),
  layers: positiveInteger().default(DINO_DEFAULTS.layers).describe('linear layers before the bottleneck'),
  normLastLayer: z
    .boolean()
    .default(DINO_DEFAULTS.normLastLayer)
    .describe('keep the last layer’s weight columns at unit norm'),
});

/**
 * `dino`: `createDino` by id — 2 global views then any number of local ones; left to it, DINO's
 * multi-crop (`dino` preset) at the images' size with {@link DINO_DEFAULTS}' local crops.
 */
export const dinoDeclaration: MethodDeclaration = {
  id: 'dino',
  description: 'DINO: self-distillation with a centered, sharpened EMA teacher, multi-crop (Caron et al. 2021)',
  views: 2,
  multiCrop: true,
  options,
  defaultAugmentations: (_channels, size) => ({
    preset: 'dino',
    ...(size === undefined
      ? {}
      : { options: { globalSize: size, localSize: size, localCrops: DINO_DEFAULTS.localCrops } }),
  }),
  completeOptions: (o, encoder) => ({
    ...o,
    hiddenSize: o.hiddenSize ?? DINO_DEFAULTS.hiddenSize(encoder.featureSize),
  }),
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./dino.js')).createDino({ encoder, views, seed, ...o }),
};
