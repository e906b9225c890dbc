import { ntXent } from '@selfsup/losses';
import { createProjectionHead, type Head } from '@selfsup/models';
import type { TrainingObjective } from '../training-objective.js';
import { SIMCLR_DEFAULTS } from './simclr-declaration.js';
import { createTwoViewMethod } from './two-view-method.js';
import type { MethodOptions, Views } from './view-objective.js';

/** Options of {@link createSimclr}, beside the encoder and views every method takes; projections are `[N, outputSize]`. */
export interface SimclrOptions extends MethodOptions {
  /** NT-Xent temperature (default: {@link SIMCLR_DEFAULTS}). */
  temperature?: number;
  /**
   * Projection head sizes, features `[N, featureSize]` → projections `[N, outputSize]` (default:
   * {@link SIMCLR_DEFAULTS}`.projection`).
   */
  projection?: { hiddenSize?: number; outputSize?: number; layers?: number; batchNorm?: boolean };
}

/**
 * SimCLR (Chen et al. 2020, arXiv:2002.05709): two augmented views of each image through the
 * encoder and a projection MLP, NT-Xent over the 2N projections [2N, D]. A {@link createTwoViewMethod}
 * with its projection head and loss.
 * @example const objective = createSimclr({ encoder, temperature: 0.5 });
 */
export function createSimclr(options: SimclrOptions): TrainingObjective<Views> & { projector: Head } {
  const { encoder } = options;
  const temperature = options.temperature ?? SIMCLR_DEFAULTS.temperature;
  const projector = createProjectionHead({
    inputSize: encoder.featureSize,
    hiddenSize: options.projection?.hiddenSize ?? SIMCLR_DEFAULTS.projection.hiddenSize(encoder.featureSize),
    outputSize: options.projection?.outputSize ?? SIMCLR_DEFAULTS.projection.outputSize,
    layers: options.projection?.layers ?? SIMCLR_DEFAULTS.projection.layers,
    batchNorm: options.projection?.batchNorm ?? SIMCLR_DEFAULTS.projection.batchNorm,
    seed: options.seed ?? 1,
    weightInit: options.headWeightInit,
    name: 'projector',
  });
  const method = createTwoViewMethod({
    id: 'simclr',
    encoder,
    views: options.views,
    projector,
    loss: (z1, z2) => ntXent(z1, z2, { temperature, checkFinite: false }),
  });
  return { ...method, projector };
}
