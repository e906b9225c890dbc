import { numberRange, probability, section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import type { AugmentationDeclaration } from './augmentation-declaration.js';
import type { RandomTranslationOptions } from './random-translation.js';

/** The defaults of `randomTranslation`: fill 0; `fraction` has none. */
export const RANDOM_TRANSLATION_DEFAULTS: Required<Pick<RandomTranslationOptions, 'fill'>> = { fill: 0 };

const options = section({
  fraction: numberRange(0, 1).describe('maximum shift [vertical, horizontal] as fractions of the size'),
  fill: probability()
    .default(RANDOM_TRANSLATION_DEFAULTS.fill)
    .describe('value of pixels shifted in from outside the image'),
});

/** `random-translation`: `randomTranslation` by id. */
export const randomTranslationDeclaration: AugmentationDeclaration = {
  id: 'random-translation',
  description: 'shift by whole pixels',
  produces: 'augmentation',
  options,
  create: async (o: z.output<typeof options>) => (await import('./random-translation.js')).randomTranslation(o),
};
