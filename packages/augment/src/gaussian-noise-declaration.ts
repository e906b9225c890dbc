import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type AugmentationDeclaration, probabilityOption } from './augmentation-declaration.js';
import type { GaussianNoiseOptions } from './gaussian-noise.js';

/** The defaults of `gaussianNoise`: every sample (p 1); `std` has none. */
export const GAUSSIAN_NOISE_DEFAULTS: Required<Pick<GaussianNoiseOptions, 'p'>> = { p: 1 };

const options = section({
  std: z.number().positive().describe('standard deviation of the noise'),
  p: probabilityOption(GAUSSIAN_NOISE_DEFAULTS.p),
});

/** `gaussian-noise`: `gaussianNoise` by id. */
export const gaussianNoiseDeclaration: AugmentationDeclaration = {
  id: 'gaussian-noise',
  description: 'add N(0, std²) noise, clamped to [0, 1]',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./gaussian-noise.js')).gaussianNoise(o),
};
