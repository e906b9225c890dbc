import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import type { LossDeclaration } from './loss-declaration.js';

/** The defaults of `barlowTwins`: λ = 5e-3 (the paper's; the official code's default is 0.0051). */
export const BARLOW_TWINS_DEFAULTS = { lambda: 5e-3 } as const;

const options = section({
  lambda: z.number().positive().default(BARLOW_TWINS_DEFAULTS.lambda).describe('weight of the off-diagonal term'),
});

/**
 * `barlow-twins`: `barlowTwins` as a view-pair loss (Zbontar et al. 2021, arXiv:2103.03230).
 *
 * @example const loss = await barlowTwinsDeclaration.create({ lambda: 5e-3 }); // (z1, z2) => Scalar
 */
export const barlowTwinsDeclaration: LossDeclaration = {
  id: 'barlow-twins',
  description: 'Barlow Twins: cross-correlation towards the identity (Zbontar et al. 2021)',
  options,
  create: async (o: z.output<typeof options>) => {
    const { barlowTwins } = await import('./barlow-twins.js');
    return (z1, z2) => barlowTwins(z1, z2, { ...o, checkFinite: false });
  },
};
