import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type AugmentationDeclaration, sizeOption } from './augmentation-declaration.js';

const options = section({ size: sizeOption() });

/** `fashion-mnist-simclr`: `fashionMnistSimclrPreset` by id, at the data's size. */
export const fashionMnistSimclrPresetDeclaration: AugmentationDeclaration = {
  id: 'fashion-mnist-simclr',
  description: 'the Fashion-MNIST recipe of the PyTorch baseline: crop 0.3–1 + flip, brightness/contrast, 3×3 blur',
  produces: 'augmentation',
  sized: true,
  options,
  create: async ({ size }: z.output<typeof options>) =>
    (await import('./fashion-mnist-simclr-preset.js')).fashionMnistSimclrPreset({ size: size as [number, number] }),
};
