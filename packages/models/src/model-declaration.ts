import type { Declaration } from '@selfsup/pretext';
import type { InputNormalization } from './input-normalization.js';
import type { Encoder } from './module.js';

/** What a run knows when it makes an encoder: the input it sees, a seed, and for text the corpus facts. */
export interface ModelContext {
  /** Images: `[height, width, channels]` of what the encoder sees. Text: `[sequenceLength, 1, 1]`. */
  inputShape: [number, number, number];
  normalization: InputNormalization | undefined;
  seed: number;
  /** Text data: the tokenizer's vocabulary size and padding id, and the sequence length. */
  tokens?: { vocabSize: number; padTokenId: number; sequenceLength: number };
}

/**
 * An encoder architecture as it declares itself (`smallCnnDeclaration`): id, description, options
 * with their defaults, what it encodes, and `create`, which imports the model when called.
 */
export interface ModelDeclaration extends Declaration<Encoder, ModelContext> {
  /** What it encodes (left out: `image`); a text encoder needs `context.tokens`. */
  readonly modality?: 'image' | 'text';
}

/** The corpus facts a text encoder is sized by. @throws when the data is not text. */
export function tokensOf(context: ModelContext, id: string): NonNullable<ModelContext['tokens']> {
  if (context.tokens === undefined) throw new Error(`${id} needs text data (data.kind text-corpus)`);
  return context.tokens;
}

/** What every image encoder takes from the run: its input shape, seed and normalization. */
export function imageInput(context: ModelContext) {
  return {
    inputShape: context.inputShape,
    seed: context.seed,
    ...(context.normalization === undefined ? {} : { normalization: context.normalization }),
  };
}
