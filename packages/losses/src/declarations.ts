/**
 * @selfsup/losses/declarations — the view-pair losses as they declare themselves (id, description,
 * options with defaults), by id: what the CLI validates, lists and documents. Loads no tfjs: a
 * declaration imports its loss when `create` is called.
 */
import { barlowTwinsDeclaration } from './barlow-twins-declaration.js';
import type { LossDeclaration } from './loss-declaration.js';
import { ntXentDeclaration } from './nt-xent-declaration.js';
import { vicregDeclaration } from './vicreg-declaration.js';

export { BARLOW_TWINS_DEFAULTS, barlowTwinsDeclaration } from './barlow-twins-declaration.js';
export type { LossDeclaration, ViewPairLoss } from './loss-declaration.js';
export { NT_XENT_DEFAULTS, ntXentDeclaration } from './nt-xent-declaration.js';
export { VICREG_DEFAULTS, vicregCoefficientOptions, vicregDeclaration } from './vicreg-declaration.js';

/**
 * The view-pair losses by id — for methods that take a loss (`two-view`).
 *
 * @example
 * const loss = await lossDeclarations['nt-xent'].create({ temperature: 0.5 });
 */
export const lossDeclarations = {
  'nt-xent': ntXentDeclaration,
  'barlow-twins': barlowTwinsDeclaration,
  vicreg: vicregDeclaration,
} satisfies Record<string, LossDeclaration>;
