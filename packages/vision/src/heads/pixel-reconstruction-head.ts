import type { TaskHeadSpec } from '@selfsup/pretext';
import { encoderInputShape } from '../encoder-input-shape.js';
import { createImageDecoder } from './image-decoder.js';

/**
 * The head of a task that paints the image the encoder saw (inpainting, denoising): an
 * {@link createImageDecoder} from the encoder's features to its input shape [H, W, C], with a
 * sigmoid for pixels in [0, 1], built by the trainer with its seed.
 *
 * @example
 * head: pixelReconstructionHead('denoisingTask', [64, 32], 'denoising_head')
 * @throws from create, naming `owner`, if the encoder declares no input shape.
 */
export function pixelReconstructionHead(owner: string, widths: number[], name: string): TaskHeadSpec {
  return {
    kind: 'custom',
    create: (encoder, seed) =>
      createImageDecoder({
        inputSize: encoder.featureSize,
        outputShape: encoderInputShape(encoder, owner),
        widths,
        outputActivation: 'sigmoid',
        seed,
        name,
      }),
  };
}
