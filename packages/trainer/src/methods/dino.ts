import { dinoPreset, type ViewMaker } from '@selfsup/augment';
import { type NamedTensorMap, type Scalar, type Tensor1D, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { cosineMomentum, dino, momentumUpdate, stopGradient, updateCenter } from '@selfsup/losses';
import type { Encoder } from '@selfsup/models';
import { EMBEDDING_STD_METRIC, viewsEmbeddingStd } from '../representation-collapse.js';
import type { StepContext, TrainingObjective } from '../training-objective.js';
import { DINO_DEFAULTS } from './dino-declaration.js';
import { createDinoHead, type DinoHead } from './dino-head.js';
import { expectMultiCrop, multiCropFeatures } from './multi-crop-views.js';
import {
  copyWeights,
  type MethodOptions,
  prepareViews,
  targetCopy,
  trainableOf,
  type Views,
} from './view-objective.js';

/** Options of {@link createDino}, beside the encoder and views every method takes. */
export interface DinoOptions extends MethodOptions {
  /** Student temperature τ_s (DINO: 0.1). */
  studentTemp?: number;
  /** Teacher temperature τ_t after the warm-up (DINO: 0.04 in the code, 0.07 in the paper's runs; default: {@link DINO_DEFAULTS}). */
  teacherTemp?: number;
  /** Teacher temperature at step 0, rising linearly to `teacherTemp` (DINO: 0.04). */
  warmupTeacherTemp?: number;
  /** Fraction of the steps the teacher temperature warms up over (DINO: 30 epochs; default: {@link DINO_DEFAULTS}). */
  teacherTempWarmup?: number;
  /** EMA rate of the center c of the teacher outputs (DINO: 0.9). */
  centerMomentum?: number;
  /** Base EMA rate of the teacher, rising to 1 by a cosine (DINO: 0.996). */
  momentum?: number;
  /** Fraction of the steps during which the head's last layer gets no gradient (DINO: 1 epoch; default: {@link DINO_DEFAULTS}). */
  freezeLastLayer?: number;
  /** Head hidden width (DINO: 2048; default: {@link DINO_DEFAULTS}). */
  hiddenSize?: number;
  /** Head bottleneck (DINO: 256; default: {@link DINO_DEFAULTS}). */
  bottleneckSize?: number;
  /** Head outputs K (DINO: 65 536; default: {@link DINO_DEFAULTS}). */
  outputSize?: number;
  /** Linear layers of the head's MLP (DINO: 3). */
  layers?: number;
  /** Weight-normalize the head's last layer with the gain fixed at 1 (DINO: true). */
  normLastLayer?: boolean;
}

/** The teacher temperature at a step: linear from `warmupTeacherTemp` to `teacherTemp` over the warm-up, then constant. */
export function dinoTeacherTemp(
  options: Pick<DinoOptions, 'teacherTemp' | 'warmupTeacherTemp' | 'teacherTempWarmup'>,
  { step, totalSteps }: StepContext,
): number {
  const final = options.teacherTemp ?? DINO_DEFAULTS.teacherTemp;
  const start = options.warmupTeacherTemp ?? DINO_DEFAULTS.warmupTeacherTemp;
  const warmupSteps = Math.round((options.teacherTempWarmup ?? DINO_DEFAULTS.teacherTempWarmup) * totalSteps);
  if (step >= warmupSteps || warmupSteps <= 1) return final;
  return start + ((final - start) * step) / (warmupSteps - 1);
}

/**
 * DINO (Caron et al. 2021, arXiv:2104.14294): a student (encoder + {@link createDinoHead})
 * predicts, over every crop, the output distribution of a teacher — an EMA of the student (rate
 * from 0.996 to 1 by a cosine) that sees only the 2 global crops. The teacher's outputs are
 * centered (a running mean c, EMA 0.9, against collapse to one dimension) and sharpened (a low
 * temperature, warmed up from 0.04), and the loss is the cross-entropy of the student's softmax
 * (τ_s = 0.1) against them over every pair of a teacher crop and a *different* student crop
 * (`dino` from `@selfsup/losses`). The head's last layer is frozen for the first steps.
 * Default views: DINO's multi-crop (`dinoPreset`) at the encoder's input size with
 * {@link DINO_DEFAULTS}' local crops.
 *
 * Shapes: raw batch `[N, H, W, C]` in [0, 1] → views: 2 global `[N, H, W, C]` then L local
 * `[N, h, w, C]` (resized to the encoder's input when smaller) → student outputs `[N, K]` per
 * view, teacher outputs `[N, K]` per global view → a scalar loss `[]`. The checkpointed state is
 * `dino_center` `[K]` float32; the teacher is the `teacher_encoder` and `teacher_head` modules.
 *
 * @example
 * const objective = createDino({ encoder, outputSize: 1024, momentum: 0.996 });
 * @throws at a step when the views are fewer than 2.
 */
export function createDino(options: DinoOptions): TrainingObjective<Views> & { center(): Tensor1D } {
  const { encoder } = options;
  const [height, width] = encoder.inputShape as [number, number, number];
  const viewMaker: ViewMaker =
    options.views ??
    dinoPreset({ globalSize: [height, width], localSize: [height, width], localCrops: DINO_DEFAULTS.localCrops });
  const outputSize = options.outputSize ?? DINO_DEFAULTS.outputSize;
  const headOptions = {
    inputSize: encoder.featureSize,
    hiddenSize: options.hiddenSize ?? DINO_DEFAULTS.hiddenSize(encoder.featureSize),
    bottleneckSize: options.bottleneckSize ?? DINO_DEFAULTS.bottleneckSize,
    outputSize,
    layers: options.layers ?? DINO_DEFAULTS.layers,
    normLastLayer: options.normLastLayer ?? DINO_DEFAULTS.normLastLayer,
  };
  const head = createDinoHead({ ...headOptions, seed: options.seed ?? 1, name: 'head' });
  const teacherEncoder = targetCopy(encoder, 'teacher_encoder') as Encoder;
  const teacherHead: DinoHead = createDinoHead({ ...headOptions, seed: options.seed ?? 1, name: 'teacher_head' });
  copyWeights(teacherHead, head);
  const studentTemp = options.studentTemp ?? DINO_DEFAULTS.studentTemp;
  const centerMomentum = options.centerMomentum ?? DINO_DEFAULTS.centerMomentum;
  const freezeFraction = options.freezeLastLayer ?? DINO_DEFAULTS.freezeLastLayer;
  let center = tf.zeros([outputSize]) as Tensor1D;
  let pendingTeacher: Tensor2D | undefined;
  const training = { training: true };
  let viewsSeen = 2;

  /** Outputs of every view through `network`'s encoder and head: one `[N, K]` per view. */
  const outputsOf = (net: Encoder, netHead: DinoHead, views: Tensor4D[], frozen: boolean): Tensor2D[] => {
    const features = multiCropFeatures(net, views, training);
    const all = netHead.applyWith(tf.concat(features, 0), training, (w) =>
      frozen ? stopGradient(w as unknown as Tensor2D) : (w as unknown as Tensor2D),
    );
    return tf.split(
      all,
      features.map((f) => f.shape[0]),
    ) as Tensor2D[];
  };

  return {
    id: 'dino',
    center: () => center.clone(),
    modules: { encoder, head, teacher_encoder: teacherEncoder, teacher_head: teacherHead },
    trainableVariables: trainableOf(encoder, head),
    // Every crop is an image through the encoder: 2 global + the local ones of the last batch.
    get viewsPerImage() {
      return viewsSeen;
    },
    prepare: (batch, rng) => {
      const prepared = prepareViews(viewMaker, batch, rng);
      viewsSeen = prepared.views.length;
      return prepared;
    },
    loss: ({ views }, context) =>
      tf.tidy(() => {
        expectMultiCrop('dino', views, 2);
        const frozen = context.step < Math.round(freezeFraction * context.totalSteps);
        const students = outputsOf(encoder, head, views, frozen);
        // The teacher sees the global crops only; nothing flows back into it.
        const teachers = outputsOf(teacherEncoder, teacherHead, views.slice(0, 2), false).map((t) => stopGradient(t));
        const loss = dino(students, teachers, {
          studentTemp,
          teacherTemp: dinoTeacherTemp(options, context),
          center,
          checkFinite: false,
        });
        pendingTeacher?.dispose();
        pendingTeacher = tf.keep(tf.concat(teachers, 0) as Tensor2D);
        return loss as Scalar;
      }),
    // How spread the student's features are on the global crops (a collapse shows as ~0); inference mode.
    metrics: ({ views }) => ({
      [EMBEDDING_STD_METRIC]: viewsEmbeddingStd(views.slice(0, 2), (x) => encoder.apply(x, { training: false })),
    }),
    afterStep({ step, totalSteps }: StepContext) {
      momentumUpdate(
        [...teacherEncoder.trainableVariables, ...teacherHead.trainableVariables],
        [...encoder.trainableVariables, ...head.trainableVariables],
        cosineMomentum(options.momentum ?? DINO_DEFAULTS.momentum, step, totalSteps),
      );
      if (pendingTeacher !== undefined) {
        const next = updateCenter(center, pendingTeacher, centerMomentum);
        center.dispose();
        center = next;
        pendingTeacher.dispose();
        pendingTeacher = undefined;
      }
    },
    getState: (): NamedTensorMap => ({ dino_center: center.clone() }),
    setState(state: NamedTensorMap) {
      const saved = state.dino_center;
      if (saved === undefined) throw new Error('dino: the checkpoint has no dino_center');
      if (saved.size !== outputSize) {
        throw new Error(`dino: the checkpoint's center has ${saved.size} values; this head has ${outputSize} outputs`);
      }
      center.dispose();
      center = tf.tidy(() => tf.reshape(tf.cast(saved, 'float32'), [outputSize]) as Tensor1D);
    },
    dispose() {
      pendingTeacher?.dispose();
      center.dispose();
      for (const m of [head, teacherEncoder, teacherHead]) m.dispose();
    },
  };
}
