import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type MethodDeclaration, simclrViews } from './method-declaration.js';

/**
 * The defaults of a projection MLP (`createSimclr`'s, and the `two-view` method's): output 64, two
 * linear layers, no batch norm (as the benchmarks' PyTorch reference step,
 * `packages/backend/bench/reference/reference_step.py`); the hidden size is the encoder's feature size.
 */
export const PROJECTION_DEFAULTS = {
  outputSize: 64,
  layers: 2,
  batchNorm: false,
  hiddenSize: (featureSize: number) => featureSize,
};

/** The defaults of `createSimclr`: NT-Xent temperature 0.5 (SimCLR's CIFAR-10 setting), {@link PROJECTION_DEFAULTS}. */
export const SIMCLR_DEFAULTS = { temperature: 0.5, projection: PROJECTION_DEFAULTS };

/** The `projection` option: the MLP between the encoder's features and the loss. */
export const projectionOptions = () =>
  section({
    hiddenSize: positiveInteger().optional().describe('default: the encoder’s feature size'),
    outputSize: positiveInteger().default(PROJECTION_DEFAULTS.outputSize).describe('embedding size the loss compares'),
    layers: z.number().int().min(2).max(3).default(PROJECTION_DEFAULTS.layers).describe('linear layers of the MLP'),
    batchNorm: z.boolean().default(PROJECTION_DEFAULTS.batchNorm).describe('batch norm after each hidden layer'),
  })
    .prefault({})
    .describe('the projection MLP between the encoder’s features and the loss');

/** `options` with `projection.hiddenSize` filled in from the encoder. */
export const completeProjection = (options: Record<string, unknown>, encoder: { featureSize: number }) => {
  const projection = (options.projection ?? {}) as Record<string, unknown>;
  return {
    ...options,
    projection: {
      ...projection,
      hiddenSize: projection.hiddenSize ?? PROJECTION_DEFAULTS.hiddenSize(encoder.featureSize),
    },
  };
};

const options = section({
  temperature: z.number().positive().default(SIMCLR_DEFAULTS.temperature).describe('NT-Xent softmax temperature τ'),
  projection: projectionOptions(),
});

/** `simclr`: `createSimclr` by id. */
export const simclrDeclaration: MethodDeclaration = {
  id: 'simclr',
  description: 'SimCLR: two views, projection MLP, NT-Xent (Chen et al. 2020)',
  views: 2,
  options,
  defaultAugmentations: simclrViews,
  completeOptions: completeProjection,
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./simclr.js')).createSimclr({ encoder, views, seed, ...o }),
};
