import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { imageInput, type ModelDeclaration } from './model-declaration.js';
import type { VitOptions } from './vit-tiny.js';

/** The defaults of `createVitTiny`: ViT-tiny's sizes (width 192, 12 blocks, 3 heads, MLP 4×), patches of 4 px for small images. */
export const VIT_TINY_DEFAULTS: Required<Pick<VitOptions, 'patchSize' | 'dim' | 'depth' | 'heads' | 'mlpRatio'>> = {
  patchSize: 4,
  dim: 192,
  depth: 12,
  heads: 3,
  mlpRatio: 4,
};

const options = section({
  patchSize: positiveInteger()
    .default(VIT_TINY_DEFAULTS.patchSize)
    .describe('side of a square patch in pixels; divides the image side'),
  dim: positiveInteger().default(VIT_TINY_DEFAULTS.dim).describe('token width (the feature size)'),
  depth: positiveInteger().default(VIT_TINY_DEFAULTS.depth).describe('transformer blocks'),
  heads: positiveInteger().default(VIT_TINY_DEFAULTS.heads).describe('attention heads (must divide dim)'),
  mlpRatio: z.number().positive().default(VIT_TINY_DEFAULTS.mlpRatio).describe('MLP hidden size as a multiple of dim'),
});

/** `vit`: `createVitTiny` by id, sized by the data. */
export const vitTinyDeclaration: ModelDeclaration = {
  id: 'vit',
  description: 'Vision Transformer, ViT-tiny sizes by default: dim features',
  options,
  create: async (o: z.output<typeof options>, context) =>
    (await import('./vit-tiny.js')).createVitTiny({ ...imageInput(context), ...o }),
};
