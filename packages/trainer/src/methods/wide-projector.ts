import { createMlpHead, type Head } from '@selfsup/models';
import type { MethodOptions } from './view-objective.js';

/**
 * The wide 3-layer projector of Barlow Twins and VICReg: `[N, featureSize] → [N, size]`, every
 * layer `size` wide (Zbontar et al. 2021; Bardes et al. 2022 call it the expander), seeded by the
 * method's `seed` (default 1) and `headWeightInit`.
 */
export function wideProjector(options: MethodOptions, size: number, name: 'projector' | 'expander'): Head {
  return createMlpHead({
    inputSize: options.encoder.featureSize,
    hiddenSize: size,
    outputSize: size,
    layers: 3,
    seed: options.seed ?? 1,
    weightInit: options.headWeightInit,
    name,
  });
}
