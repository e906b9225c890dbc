import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import type { LossDeclaration } from './loss-declaration.js';

/** The defaults of `ntXent`: temperature 0.5 (SimCLR's CIFAR-10 setting; 0.1 for large batches). */
export const NT_XENT_DEFAULTS = { temperature: 0.5 } as const;

const options = section({
  temperature: z
    .number()
    .positive()
    .default(NT_XENT_DEFAULTS.temperature)
    .describe('softmax temperature τ of the cosine similarities'),
});

/**
 * `nt-xent`: `ntXent` as a view-pair loss (SimCLR, Chen et al. 2020, arXiv:2002.05709).
 *
 * @example const loss = await ntXentDeclaration.create({ temperature: 0.2 }); // (z1, z2) => Scalar
 */
export const ntXentDeclaration: LossDeclaration = {
  id: 'nt-xent',
  description: 'NT-Xent, SimCLR’s contrastive loss over the 2N embeddings (Chen et al. 2020)',
  options,
  create: async (o: z.output<typeof options>) => {
    const { ntXent } = await import('./nt-xent.js');
    return (z1, z2) => ntXent(z1, z2, { ...o, checkFinite: false });
  },
};
