import type { Augmentation } from './augmentation.js';
import { expectSize } from './validation.js';

/** Options every paper preset takes. */
export interface PresetOptions {
  /** Output `[height, width]` of the views. */
  size: [number, number];
  /**
   * 1 for grayscale data (Fashion-MNIST, MNIST): color jitter reduces to brightness and contrast,
   * no grayscale op; 3 for RGB. Default: follow the images (the ops adapt to 1 or 3 channels); when
   * given, a batch with another channel count is rejected.
   */
  channels?: 1 | 3;
}

/** Checks the preset options and wraps `pipeline` so it rejects batches with the wrong channel count. */
export function presetPipeline(preset: string, options: PresetOptions, pipeline: Augmentation): Augmentation {
  if (options.channels === undefined) return pipeline;
  return (images, rng) => {
    if (images.shape[3] !== options.channels) {
      throw new Error(`${preset}: built for ${options.channels}-channel images; got ${images.shape[3]} channels`);
    }
    return pipeline(images, rng);
  };
}

/** Validates the fields of {@link PresetOptions}. */
export function checkPresetOptions(preset: string, options: PresetOptions): void {
  expectSize(preset, 'size', options.size);
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3) {
    throw new Error(`${preset}: channels must be 1 or 3; got ${options.channels}`);
  }
}
