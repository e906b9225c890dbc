/**
 * @selfsup/losses — self-supervised losses for TensorFlow.js, each its paper's formulation:
 * contrastive (NT-Xent, InfoNCE with a MoCo queue, SupCon, triplet), non-contrastive (BYOL/SimSiam
 * negative cosine, Barlow Twins, VICReg), clustering and distillation (SwAV, DINO), the momentum
 * (EMA) updates of target networks, and the helpers they share.
 */
export { type BarlowTwinsOptions, barlowTwins } from './barlow-twins.js';
export { BARLOW_TWINS_DEFAULTS } from './barlow-twins-declaration.js';
export { cosineMomentum } from './cosine-momentum.js';
export { cosineSimilarityMatrix } from './cosine-similarity-matrix.js';
export { type DinoOptions, dino } from './dino.js';
export { type InfoNceOptions, infoNce } from './info-nce.js';
export { l2Normalize } from './l2-normalize.js';
export type { LossDeclaration, ViewPairLoss } from './loss-declaration.js';
export type { LossOptions } from './loss-options.js';
export type { LossTerms } from './loss-terms.js';
export { MemoryQueue, type MemoryQueueOptions, type MemoryQueueState } from './memory-queue.js';
export { momentumUpdate } from './momentum-update.js';
export { type NegativeCosineOptions, negativeCosine } from './negative-cosine.js';
export { type NtXentOptions, ntXent } from './nt-xent.js';
export { NT_XENT_DEFAULTS } from './nt-xent-declaration.js';
export { offDiagonal } from './off-diagonal.js';
export { type SinkhornKnoppOptions, sinkhornKnopp } from './sinkhorn-knopp.js';
export { stopGradient } from './stop-gradient.js';
export { type SupConOptions, supCon } from './sup-con.js';
export { type SwavOptions, swav } from './swav.js';
export { symmetricNegativeCosine } from './symmetric-negative-cosine.js';
export { type TripletMarginOptions, tripletMargin } from './triplet-margin.js';
export { updateCenter } from './update-center.js';
export { type VicregLoss, type VicregOptions, vicreg } from './vicreg.js';
export { VICREG_DEFAULTS } from './vicreg-declaration.js';
