import { vicregCoefficientOptions } from '@selfsup/losses/declarations';
import type { Encoder } from '@selfsup/models';
import type { TrainingObjective } from '@selfsup/trainer';
import { z } from 'zod';
import { positiveInteger, section } from '../config/schema-parts.js';
import type { MethodContext, MethodEntry } from './entries.js';

/** `@selfsup/trainer`, imported when a method is made: listing and validating load no tfjs. */
const trainer = () => import('@selfsup/trainer');

type Options = Record<string, unknown>;

/** The paper recipe: SimCLR's for RGB, the Fashion-MNIST baseline's for grayscale. */
const simclrViews = (channels: 1 | 3) => ({ preset: channels === 1 ? 'fashion-mnist-simclr' : 'simclr' });

const base = (context: MethodContext) => ({ encoder: context.encoder, views: context.views, seed: context.seed });

/** `value`, or `fallback` when value is undefined. */
const or = (value: unknown, fallback: number) => (value === undefined ? fallback : value);

const projectionSchema = () =>
  section({
    hiddenSize: positiveInteger().optional().describe('default: the encoder’s feature size'),
    outputSize: positiveInteger().default(64).describe('embedding size the loss compares'),
    layers: z.number().int().min(2).max(3).default(2).describe('linear layers of the MLP'),
    batchNorm: z.boolean().default(false).describe('batch norm after each hidden layer'),
  })
    .prefault({})
    .describe('the projection MLP between the encoder’s features and the loss');

const completeProjection = (options: Options, encoder: Encoder) => ({
  ...options,
  projection: {
    ...(options.projection as Options),
    hiddenSize: or((options.projection as Options).hiddenSize, encoder.featureSize),
  },
});

/** The self-supervised methods of `@selfsup/trainer`, plus `two-view` (any registered loss), by id. */
export const builtinMethods: Record<string, MethodEntry> = {
  simclr: {
    description: 'SimCLR: two views, projection MLP, NT-Xent (Chen et al. 2020)',
    views: 2,
    options: section({
      temperature: z.number().positive().default(0.5).describe('NT-Xent softmax temperature τ'),
      projection: projectionSchema(),
    }),
    defaultAugmentations: simclrViews,
    completeOptions: completeProjection,
    create: async (o, context) => {
      const { createSimclr } = await trainer();
      return createSimclr({
        ...base(context),
        temperature: o.temperature as number,
        projection: o.projection as Options,
      }) as TrainingObjective;
    },
  },
  'moco-v2': {
    description: 'MoCo v2: momentum key encoder, queue of negatives, InfoNCE (Chen et al. 2020)',
    views: 2,
    options: section({
      temperature: z.number().positive().default(0.2).describe('InfoNCE softmax temperature τ'),
      queueSize: positiveInteger().default(4096).describe('negative keys kept from past batches'),
      momentum: z.number().min(0).max(1).default(0.99).describe('EMA rate of the key encoder (MoCo: 0.999)'),
      cosineMomentum: z.boolean().default(false).describe('raise the momentum to 1 by a cosine'),
      projection: section({
        hiddenSize: positiveInteger().optional().describe('default: the encoder’s feature size'),
        outputSize: positiveInteger().default(128).describe('key and query size'),
      })
        .prefault({})
        .describe('the projection MLP on both encoders'),
      shuffleGroups: positiveInteger().default(2).describe('shuffled-BN groups'),
    }),
    defaultAugmentations: simclrViews,
    completeOptions: completeProjection,
    create: async (o, context) => {
      const { createMocoV2 } = await trainer();
      return createMocoV2({ ...base(context), ...(o as object) }) as TrainingObjective;
    },
  },
  byol: {
    description: 'BYOL: online predictor against an EMA target (Grill et al. 2020)',
    views: 2,
    options: section({
      momentum: z
        .number()
        .min(0)
        .max(1)
        .default(0.996)
        .describe('base EMA rate τ of the target, rising to 1 by a cosine'),
      hiddenSize: positiveInteger().optional().describe('projector/predictor hidden size; default 2× features'),
      outputSize: positiveInteger().default(64).describe('projection and prediction size'),
    }),
    defaultAugmentations: (channels) => (channels === 1 ? simclrViews(1) : { preset: 'byol' }),
    completeOptions: (o, encoder) => ({ ...o, hiddenSize: or(o.hiddenSize, 2 * encoder.featureSize) }),
    create: async (o, context) => {
      const { createByol } = await trainer();
      return createByol({ ...base(context), ...(o as object) }) as TrainingObjective;
    },
  },
  simsiam: {
    description: 'SimSiam: stop-gradient, no negatives (Chen & He 2021)',
    views: 2,
    options: section({
      projectionSize: positiveInteger().optional().describe('default 2× features'),
      predictorHiddenSize: positiveInteger().optional().describe('default projectionSize / 4'),
    }),
    defaultAugmentations: simclrViews,
    completeOptions: (o, encoder) => {
      const projectionSize = or(o.projectionSize, 2 * encoder.featureSize) as number;
      return {
        ...o,
        projectionSize,
        predictorHiddenSize: or(o.predictorHiddenSize, Math.max(1, Math.round(projectionSize / 4))),
      };
    },
    create: async (o, context) => {
      const { createSimsiam } = await trainer();
      return createSimsiam({ ...base(context), ...(o as object) }) as TrainingObjective;
    },
  },
  'barlow-twins': {
    description: 'Barlow Twins: cross-correlation towards the identity (Zbontar et al. 2021)',
    views: 2,
    options: section({
      lambda: z.number().positive().default(5e-3).describe('weight of the off-diagonal (redundancy) term'),
      projectionSize: positiveInteger().optional().describe('default 4× features'),
    }),
    defaultAugmentations: simclrViews,
    completeOptions: (o, encoder) => ({ ...o, projectionSize: or(o.projectionSize, 4 * encoder.featureSize) }),
    create: async (o, context) => {
      const { createBarlowTwins } = await trainer();
      return createBarlowTwins({ ...base(context), ...(o as object) }) as TrainingObjective;
    },
  },
  vicreg: {
    description: 'VICReg: variance, invariance, covariance (Bardes et al. 2022)',
    views: 2,
    options: section({
      ...vicregCoefficientOptions(),
      projectionSize: positiveInteger().optional().describe('default 4× features'),
    }),
    defaultAugmentations: simclrViews,
    completeOptions: (o, encoder) => ({ ...o, projectionSize: or(o.projectionSize, 4 * encoder.featureSize) }),
    create: async (o, context) => {
      const { createVicreg } = await trainer();
      return createVicreg({ ...base(context), ...(o as object) }) as TrainingObjective;
    },
  },
  'two-view': {
    description: 'two views, projection MLP, and the config’s `loss` (any registered loss, a plugin’s too)',
    views: 2,
    takesLoss: true,
    options: section({ projection: projectionSchema() }),
    defaultAugmentations: simclrViews,
    completeOptions: completeProjection,
    create: async (o, context) => {
      if (context.loss === undefined) throw new Error("method 'two-view' needs a loss");
      const [{ createTwoViewMethod }, { createProjectionHead }] = await Promise.all([
        trainer(),
        import('@selfsup/models'),
      ]);
      const projector = createProjectionHead({
        inputSize: context.encoder.featureSize,
        ...(o.projection as { hiddenSize: number; outputSize: number; layers: number; batchNorm: boolean }),
        seed: context.seed,
        name: 'projector',
      });
      return createTwoViewMethod({
        encoder: context.encoder,
        views: context.views,
        projector,
        loss: context.loss,
      }) as TrainingObjective;
    },
  },
};
