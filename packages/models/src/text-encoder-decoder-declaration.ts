import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type ModelDeclaration, tokensOf } from './model-declaration.js';
import type { TextEncoderDecoderOptions } from './text-encoder-decoder.js';

/** The defaults of `createTextEncoderDecoder`: width 128, 2 encoder and 2 decoder blocks, 4 heads, MLP 4×. */
export const TEXT_ENCODER_DECODER_DEFAULTS: Required<
  Pick<TextEncoderDecoderOptions, 'dim' | 'encoderDepth' | 'decoderDepth' | 'heads' | 'mlpRatio'>
> = { dim: 128, encoderDepth: 2, decoderDepth: 2, heads: 4, mlpRatio: 4 };

const options = section({
  dim: positiveInteger().default(TEXT_ENCODER_DECODER_DEFAULTS.dim).describe('token width'),
  encoderDepth: positiveInteger().default(TEXT_ENCODER_DECODER_DEFAULTS.encoderDepth).describe('encoder blocks'),
  decoderDepth: positiveInteger().default(TEXT_ENCODER_DECODER_DEFAULTS.decoderDepth).describe('decoder blocks'),
  heads: positiveInteger().default(TEXT_ENCODER_DECODER_DEFAULTS.heads).describe('attention heads (must divide dim)'),
  mlpRatio: z
    .number()
    .positive()
    .default(TEXT_ENCODER_DECODER_DEFAULTS.mlpRatio)
    .describe('MLP hidden size as a multiple of dim'),
}).refine((o) => o.dim % o.heads === 0, { message: 'heads must divide dim' });

/** `text-encoder-decoder`: `createTextEncoderDecoder` by id, sized by the tokenizer and the sequence length. */
export const textEncoderDecoderDeclaration: ModelDeclaration = {
  id: 'text-encoder-decoder',
  modality: 'text',
  description:
    'T5-style encoder-decoder (shared embeddings, pre-LN blocks) for t5-span-corruption; its encoder (mean of the outputs) is what is probed and exported',
  options,
  create: async (o: z.output<typeof options>, context) => {
    const tokens = tokensOf(context, 'text-encoder-decoder');
    // Corrupted inputs and span targets are at most one token longer than the packed sequence.
    return (await import('./text-encoder-decoder.js')).createTextEncoderDecoder({
      ...o,
      vocabSize: tokens.vocabSize,
      maxInputLength: tokens.sequenceLength + 1,
      maxTargetLength: tokens.sequenceLength + 1,
      padTokenId: tokens.padTokenId,
      seed: context.seed,
    });
  },
};
