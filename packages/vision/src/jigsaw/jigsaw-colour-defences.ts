import type { JigsawTaskOptions } from './jigsaw-task.js';

/** A named setting of jigsaw's defences against colour shortcuts on colour images. */
export type JigsawColourDefence = 'grayscale-and-jitter' | 'none';

/**
 * Jigsaw's defences against colour shortcuts (chromatic aberration) on colour images, as
 * `jigsawTask` options: `grayscale-and-jitter` is the paper's (Noroozi & Favaro 2016, §3.2: 30 %
 * of puzzles grayscale, each colour channel of each tile shifted by up to 2 px of 64-px tiles) at
 * ±1 px, whatever the tile size; `none` turns both off (the ablation).
 *
 * @example
 * const task = jigsawTask({ ...tileGeometry(64).jigsaw, ...JIGSAW_COLOUR_DEFENCES['grayscale-and-jitter'] });
 */
export const JIGSAW_COLOUR_DEFENCES: Readonly<
  Record<JigsawColourDefence, Pick<JigsawTaskOptions, 'grayscaleProbability' | 'channelJitter'>>
> = {
  'grayscale-and-jitter': { grayscaleProbability: 0.3, channelJitter: 1 },
  none: { grayscaleProbability: 0, channelJitter: 0 },
};
