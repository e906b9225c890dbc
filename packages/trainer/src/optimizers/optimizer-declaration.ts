import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { withDefaultKind } from '../default-kind.js';

/** The defaults of each optimizer: PyTorch's, AdamW 0.05 decoupled decay, LARS SimCLR's. */
export const OPTIMIZER_DEFAULTS = {
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  adamw: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05 },
  sgd: { momentum: 0.9, nesterov: false, weightDecay: 0 },
  lars: { momentum: 0.9, weightDecay: 1e-6, trustCoefficient: 0.001 },
} as const;

const adamFields = (defaults: (typeof OPTIMIZER_DEFAULTS)['adam' | 'adamw']) => ({
  beta1: z.number().min(0).lt(1).default(defaults.beta1).describe('decay rate of the gradient’s running mean'),
  beta2: z.number().min(0).lt(1).default(defaults.beta2).describe('decay rate of the squared gradient’s running mean'),
  epsilon: z.number().positive().default(defaults.epsilon).describe('added to the denominator, for stability'),
});

const weightDecay = (value: number, how: string) => z.number().min(0).default(value).describe(how);
const momentum = (value: number) => z.number().min(0).lt(1).default(value).describe('momentum of the update');
const { adam, adamw, sgd, lars } = OPTIMIZER_DEFAULTS;

/**
 * The options of an optimizer by `kind` (`adam` when the section or its `kind` is left out:
 * `{ weightDecay: 0.1 }` is Adam with its other defaults), defaults filled in: what
 * `createOptimizer` takes, as a config states it.
 *
 * @example optimizerOptions().parse({ kind: 'sgd' }); // { kind: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 }
 */
export const optimizerOptions = () =>
  withDefaultKind(
    z.discriminatedUnion('kind', [
      section({
        kind: z.literal('adam'),
        ...adamFields(adam),
        weightDecay: weightDecay(adam.weightDecay, 'L2 penalty added to the gradient'),
      }),
      section({
        kind: z.literal('adamw'),
        ...adamFields(adamw),
        weightDecay: weightDecay(
          adamw.weightDecay,
          'decoupled decay: weights shrink by learningRate × weightDecay per step',
        ),
      }),
      section({
        kind: z.literal('sgd'),
        momentum: momentum(sgd.momentum),
        nesterov: z.boolean().default(sgd.nesterov).describe('Nesterov momentum'),
        weightDecay: weightDecay(sgd.weightDecay, 'L2 penalty added to the gradient'),
      }),
      section({
        kind: z.literal('lars'),
        momentum: momentum(lars.momentum),
        weightDecay: weightDecay(lars.weightDecay, 'L2 penalty added to the gradient before the trust ratio'),
        trustCoefficient: z
          .number()
          .positive()
          .default(lars.trustCoefficient)
          .describe('η of the layer-wise trust ratio η‖w‖ / ‖∇w + weightDecay·w‖'),
      }),
    ]),
    'adam',
  )
    .prefault({ kind: 'adam' })
    .describe('`adam`, `adamw` (decoupled weight decay), `sgd`, `lars`; biases and norms are excluded from decay');
