/**
 * @selfsup/models/declarations — the encoder architectures as they declare themselves (id,
 * description, options with defaults, what they encode), by id: what the CLI validates, lists and
 * documents. Loads no tfjs: a declaration imports its model when `create` is called.
 */
import type { ModelDeclaration } from './model-declaration.js';
import { resnet18Declaration } from './resnet18-declaration.js';
import { smallCnnDeclaration } from './small-cnn-declaration.js';
import { textEncoderDecoderDeclaration } from './text-encoder-decoder-declaration.js';
import { textTransformerDeclaration } from './text-transformer-declaration.js';
import { vitTinyDeclaration } from './vit-tiny-declaration.js';
import { word2VecDeclaration } from './word2vec-declaration.js';

export type { ModelContext, ModelDeclaration } from './model-declaration.js';
export { RESNET18_DEFAULTS } from './resnet18-declaration.js';
export { SMALL_CNN_DEFAULTS } from './small-cnn-declaration.js';
export { TEXT_ENCODER_DECODER_DEFAULTS } from './text-encoder-decoder-declaration.js';
export { TEXT_TRANSFORMER_DEFAULTS } from './text-transformer-declaration.js';
export { VIT_TINY_DEFAULTS } from './vit-tiny-declaration.js';
export { WORD2VEC_DEFAULTS } from './word2vec-declaration.js';

/**
 * The encoders by id: image encoders sized by the data's images, text encoders by the tokenizer
 * and the sequence length (`context.tokens`).
 *
 * @example
 * const encoder = await modelDeclarations['small-cnn'].create({ widths: [32, 64], strides: [1, 2] }, { inputShape: [28, 28, 1], normalization: undefined, seed: 1 });
 */
export const modelDeclarations = {
  'small-cnn': smallCnnDeclaration,
  resnet18: resnet18Declaration,
  vit: vitTinyDeclaration,
  'text-transformer': textTransformerDeclaration,
  'text-encoder-decoder': textEncoderDecoderDeclaration,
  word2vec: word2VecDeclaration,
} satisfies Record<string, ModelDeclaration>;
