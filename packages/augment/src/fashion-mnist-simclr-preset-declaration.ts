import { sizeOnlyDeclaration } from './augmentation-declaration.js';

/** `fashion-mnist-simclr`: `fashionMnistSimclrPreset` by id, at the data's size. */
export const fashionMnistSimclrPresetDeclaration = sizeOnlyDeclaration(
  'fashion-mnist-simclr',
  'the Fashion-MNIST recipe of the PyTorch baseline: crop 0.3–1 + flip, brightness/contrast, 3×3 blur',
  async () => {
    const { fashionMnistSimclrPreset } = await import('./fashion-mnist-simclr-preset.js');
    return (size) => fashionMnistSimclrPreset({ size });
  },
);
