/**
 * @selfsup/trainer/declarations — the self-supervised methods as they declare themselves (id,
 * description, options with defaults, views, default augmentations), by id, and the options of
 * the optimizers and schedules: what the CLI validates, lists and documents. Loads no tfjs: a declaration imports the trainer when `create`
 * is called.
 */
import { barlowTwinsMethodDeclaration } from './methods/barlow-twins-method-declaration.js';
import { byolDeclaration } from './methods/byol-declaration.js';
import { dinoDeclaration } from './methods/dino-declaration.js';
import type { MethodDeclaration } from './methods/method-declaration.js';
import { mocoV2Declaration } from './methods/moco-v2-declaration.js';
import { mocoV3Declaration } from './methods/moco-v3-declaration.js';
import { nnclrDeclaration } from './methods/nnclr-declaration.js';
import { simclrDeclaration } from './methods/simclr-declaration.js';
import { simsiamDeclaration } from './methods/simsiam-declaration.js';
import { swavDeclaration } from './methods/swav-declaration.js';
import { twoViewMethodDeclaration } from './methods/two-view-method-declaration.js';
import { vicregMethodDeclaration } from './methods/vicreg-method-declaration.js';

export { BARLOW_TWINS_METHOD_DEFAULTS } from './methods/barlow-twins-method-declaration.js';
export { BYOL_DEFAULTS } from './methods/byol-declaration.js';
export { DINO_DEFAULTS } from './methods/dino-declaration.js';
export type { AugmentationChoice, MethodContext, MethodDeclaration } from './methods/method-declaration.js';
export { MOCO_V2_DEFAULTS } from './methods/moco-v2-declaration.js';
export { MOCO_V3_DEFAULTS } from './methods/moco-v3-declaration.js';
export { NNCLR_DEFAULTS } from './methods/nnclr-declaration.js';
export { PROJECTION_DEFAULTS, SIMCLR_DEFAULTS } from './methods/simclr-declaration.js';
export { SIMSIAM_DEFAULTS } from './methods/simsiam-declaration.js';
export { SWAV_DEFAULTS } from './methods/swav-declaration.js';
export { VICREG_METHOD_DEFAULTS } from './methods/vicreg-method-declaration.js';
export { OPTIMIZER_DEFAULTS, optimizerOptions } from './optimizers/optimizer-declaration.js';
export { type EpochSchedule, scheduleInSteps, scheduleOptions } from './schedule-declaration.js';

/**
 * The methods by id: `sslMethods`' (SimCLR, MoCo v2, BYOL, SimSiam, Barlow Twins, VICReg, DINO,
 * SwAV, MoCo v3, NNCLR) and `two-view` — a projection MLP and any view-pair loss (`context.loss`).
 *
 * @example
 * const objective = await methodDeclarations.simclr.create({ temperature: 0.2 }, { encoder, views, seed: 1 });
 */
export const methodDeclarations = {
  simclr: simclrDeclaration,
  'moco-v2': mocoV2Declaration,
  byol: byolDeclaration,
  simsiam: simsiamDeclaration,
  'barlow-twins': barlowTwinsMethodDeclaration,
  vicreg: vicregMethodDeclaration,
  dino: dinoDeclaration,
  swav: swavDeclaration,
  'moco-v3': mocoV3Declaration,
  nnclr: nnclrDeclaration,
  'two-view': twoViewMethodDeclaration,
} satisfies Record<string, MethodDeclaration>;
