import { section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type MethodDeclaration, simclrViews } from './method-declaration.js';
import { completeProjection, PROJECTION_DEFAULTS, projectionOptions } from './simclr-declaration.js';

const options = section({ projection: projectionOptions() });

/**
 * `two-view`: `createTwoViewMethod` with a projection MLP and the run's view-pair loss — any
 * registered loss, a plugin's too (`takesLoss`).
 */
export const twoViewMethodDeclaration: MethodDeclaration = {
  id: 'two-view',
  description: 'two views, projection MLP, and the config’s `loss` (any registered loss, a plugin’s too)',
  views: 2,
  takesLoss: true,
  options,
  defaultAugmentations: simclrViews,
  completeOptions: completeProjection,
  create: async ({ projection }: z.output<typeof options>, { encoder, views, seed, loss }) => {
    if (loss === undefined) throw new Error("method 'two-view' needs a loss");
    const [{ createTwoViewMethod }, { createProjectionHead }] = await Promise.all([
      import('./two-view-method.js'),
      import('@selfsup/models'),
    ]);
    const projector = createProjectionHead({
      inputSize: encoder.featureSize,
      ...projection,
      hiddenSize: projection.hiddenSize ?? PROJECTION_DEFAULTS.hiddenSize(encoder.featureSize),
      seed,
      name: 'projector',
    });
    return createTwoViewMethod({ encoder, views, projector, loss });
  },
};
