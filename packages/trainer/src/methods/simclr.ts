import { ntXent } from '@selfsup/losses';
import { createProjectionHead, type Head } from '@selfsup/models';
import type { TrainingObjective } from '../training-objective.js';
import { createTwoViewMethod } from './two-view-method.js';
import type { MethodOptions, Views } from './view-objective.js';

/** Options of {@link createSimclr}, beside the encoder and views every method takes; projections are `[N, outputSize]`. */
export interface SimclrOptions extends MethodOptions {
  /** NT-Xent temperature (default 0.5). */
  temperature?: number;
  /**
   * Projection head sizes, features `[N, featureSize]` → projections `[N, outputSize]` (default:
   * hidden = feature size, output 64; no batch norm, as the benchmarks' PyTorch reference step,
   * `packages/backend/bench/reference/reference_step.py`).
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
  const temperature = options.temperature ?? 0.5;
  const projector = createProjectionHead({
    inputSize: encoder.featureSize,
    hiddenSize: options.projection?.hiddenSize ?? encoder.featureSize,
    outputSize: options.projection?.outputSize ?? 64,
    layers: options.projection?.layers ?? 2,
    batchNorm: options.projection?.batchNorm ?? false,
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
