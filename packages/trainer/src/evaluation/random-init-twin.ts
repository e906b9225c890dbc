import { createModule, type Encoder } from '@selfsup/models';

/**
 * The same architecture as `encoder`, freshly initialized (seed 100, not the encoder's own seed):
 * the random-init floor every evaluation reports beside a pretrained encoder. Same shapes as the
 * encoder: inputs `[N, ...encoder.inputShape]` → features `[N, encoder.featureSize]`. The caller
 * disposes it.
 *
 * @example
 * const twin = randomInitTwin(encoder);
 * const features = extractFeatures(twin, test); // [test.count, encoder.featureSize]
 * twin.dispose();
 */
export function randomInitTwin(encoder: Encoder): Encoder {
  return createModule({ ...encoder.config, options: { ...encoder.config.options, seed: 100 } }) as Encoder;
}
