/** @selfsup/losses — contrastive and non-contrastive self-supervised losses. */
export { type BarlowTwinsOptions, barlowTwins } from './barlow-twins.js';
export { cosineSimilarityMatrix } from './cosine-similarity-matrix.js';
export { type DinoOptions, dino, updateCenter } from './dino.js';
export { type InfoNceOptions, infoNCE } from './info-nce.js';
export { l2Normalize } from './l2-normalize.js';
export { MemoryQueue, type MemoryQueueState } from './memory-queue.js';
export { cosineMomentum, momentumUpdate } from './momentum-update.js';
export { type NegativeCosineOptions, negativeCosine, symmetricNegativeCosine } from './negative-cosine.js';
export { type NtXentOptions, ntXent } from './nt-xent.js';
export { offDiagonal } from './off-diagonal.js';
export { stopGradient } from './stop-gradient.js';
export { type SupConOptions, supCon } from './sup-con.js';
export { type SwavOptions, sinkhornKnopp, swav } from './swav.js';
export { type TripletMarginOptions, tripletMargin } from './triplet-margin.js';
export { type VicregLoss, type VicregOptions, vicreg } from './vicreg.js';
