import type { TrainingObjective } from '../training-objective.js';
import { createBarlowTwins } from './barlow-twins-method.js';
import { createByol } from './byol.js';
import { createDino } from './dino.js';
import { createMocoV2 } from './moco-v2.js';
import { createMocoV3 } from './moco-v3.js';
import { createNnclr } from './nnclr.js';
import { createSimclr } from './simclr.js';
import { createSimsiam } from './simsiam.js';
import { createSwav } from './swav.js';
import { createVicreg } from './vicreg-method.js';
import type { MethodOptions } from './view-objective.js';

/**
 * The ready-to-use self-supervised methods, by id: each factory takes {@link MethodOptions} (plus
 * its own) and returns a {@link TrainingObjective} over images `[N, H, W, C]` in [0, 1], two views
 * of each (multi-crop methods: two global views and local ones).
 */
export const sslMethods = {
  simclr: createSimclr,
  'moco-v2': createMocoV2,
  byol: createByol,
  simsiam: createSimsiam,
  'barlow-twins': createBarlowTwins,
  vicreg: createVicreg,
  dino: createDino,
  swav: createSwav,
  'moco-v3': createMocoV3,
  nnclr: createNnclr,
} as const;

export type SslMethodId = keyof typeof sslMethods;

/**
 * Makes a method by id with its options: a {@link TrainingObjective} whose `prepare` takes raw
 * images `[N, H, W, C]` in [0, 1] and makes two views `[N, H, W, C]`, and whose `loss` is a
 * scalar `[]`.
 *
 * @example
 * const objective = createMethod('byol', { encoder, momentum: 0.99 });
 * @throws listing the known methods when `id` is not one.
 */
export function createMethod(id: string, options: MethodOptions & Record<string, unknown>): TrainingObjective {
  const factory = (sslMethods as Record<string, (o: MethodOptions) => TrainingObjective>)[id];
  if (factory === undefined) throw new Error(`'${id}' is not a method; known: ${Object.keys(sslMethods).join(', ')}`);
  return factory(options);
}
