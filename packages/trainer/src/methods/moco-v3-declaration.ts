import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type MethodDeclaration, simclrViews } from './method-declaration.js';

/**
 * The defaults of `createMocoV3`, MoCo v3's (Chen, Xie & He 2021, arXiv:2104.02057, and its
 * official `main_moco.py`) where they fit small encoders, scaled down where they do not:
 * temperature 0.2 (its ViT recipe); momentum encoder EMA 0.99 rising to 1 by a cosine; a 3-layer
 * projection MLP and a 2-layer predictor, batch norm in every layer and after the projection's
 * last; outputs of 128 (MoCo v3: 256) and hidden width 2× the encoder's features (MoCo v3: 4096);
 * a ViT's patch projection frozen at its random initialization (MoCo v3's `--stop-grad-conv1`,
 * its fix for ViT instability; encoders without one are unaffected).
 */
export const MOCO_V3_DEFAULTS = {
  temperature: 0.2,
  momentum: 0.99,
  projectionLayers: 3,
  outputSize: 128,
  freezePatchProjection: true,
  hiddenSize: (featureSize: number) => 2 * featureSize,
};

const options = section({
  temperature: z.number().positive().default(MOCO_V3_DEFAULTS.temperature).describe('InfoNCE softmax temperature τ'),
  momentum: z
    .number()
    .min(0)
    .max(1)
    .default(MOCO_V3_DEFAULTS.momentum)
    .describe('base EMA rate of the momentum encoder, rising to 1 by a cosine'),
  projectionLayers: positiveInteger()
    .default(MOCO_V3_DEFAULTS.projectionLayers)
    .describe('linear layers of the projection MLP (MoCo v3: 3 for ViT, 2 for ResNet)'),
  hiddenSize: positiveInteger().optional().describe('projector/predictor hidden width; default 2× features'),
  outputSize: positiveInteger().default(MOCO_V3_DEFAULTS.outputSize).describe('query and key size'),
  freezePatchProjection: z
    .boolean()
    .default(MOCO_V3_DEFAULTS.freezePatchProjection)
    .describe('keep a ViT’s patch projection at its random initialization'),
});

/** `moco-v3`: `createMocoV3` by id; its views, left to it, are BYOL's asymmetric pair for RGB (MoCo v3's). */
export const mocoV3Declaration: MethodDeclaration = {
  id: 'moco-v3',
  description: 'MoCo v3: momentum encoder and predictor, symmetric in-batch InfoNCE, no queue (Chen et al. 2021)',
  views: 2,
  options,
  defaultAugmentations: (channels) => (channels === 1 ? simclrViews(1) : { preset: 'byol' }),
  completeOptions: (o, encoder) => ({
    ...o,
    hiddenSize: o.hiddenSize ?? MOCO_V3_DEFAULTS.hiddenSize(encoder.featureSize),
  }),
  create: async (o: z.output<typeof options>, { encoder, views, seed }) =>
    (await import('./moco-v3.js')).createMocoV3({ encoder, views, seed, ...o }),
};
