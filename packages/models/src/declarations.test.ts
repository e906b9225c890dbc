import { createRng, initBackend, type Tensor, tf } from '@selfsup/backend';
import { defaultOptions } from '@selfsup/pretext/option-schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ModelContext,
  type ModelDeclaration,
  modelDeclarations,
  RESNET18_DEFAULTS,
  SMALL_CNN_DEFAULTS,
  TEXT_ENCODER_DECODER_DEFAULTS,
  TEXT_TRANSFORMER_DEFAULTS,
  VIT_TINY_DEFAULTS,
  WORD2VEC_DEFAULTS,
} from './declarations.js';
import type { Encoder } from './module.js';
import { createResNet18 } from './resnet18.js';
import { createSmallCnn } from './small-cnn.js';
import { createTextEncoderDecoder } from './text-encoder-decoder.js';
import { createTextTransformer } from './text-transformer.js';
import { createVitTiny } from './vit-tiny.js';
import { createWord2Vec } from './word2vec.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

type Id = keyof typeof modelDeclarations;
const declarations = Object.entries(modelDeclarations) as Array<[Id, ModelDeclaration]>;
const tokens = { vocabSize: 40, padTokenId: 0, sequenceLength: 8 };
const image: ModelContext = { inputShape: [16, 16, 3], normalization: undefined, seed: 4 };
const text: ModelContext = { inputShape: [8, 1, 1], normalization: undefined, seed: 4, tokens };

/** Each encoder made by its factory with only what the run provides (input shape, seed, corpus sizes). */
const bare: Record<Id, () => Encoder> = {
  'small-cnn': () => createSmallCnn({ inputShape: image.inputShape, seed: 4 }),
  resnet18: () => createResNet18({ inputShape: image.inputShape, seed: 4 }),
  vit: () => createVitTiny({ inputShape: image.inputShape, seed: 4 }),
  'text-transformer': () => createTextTransformer({ vocabSize: 40, maxLength: 8, padTokenId: 0, seed: 4 }),
  'text-encoder-decoder': () =>
    createTextEncoderDecoder({ vocabSize: 40, maxInputLength: 9, maxTargetLength: 9, padTokenId: 0, seed: 4 }),
  word2vec: () => createWord2Vec({ vocabSize: 40, padTokenId: 0, seed: 4 }),
};

const defaults: Record<Id, object> = {
  'small-cnn': SMALL_CNN_DEFAULTS,
  resnet18: RESNET18_DEFAULTS,
  vit: VIT_TINY_DEFAULTS,
  'text-transformer': TEXT_TRANSFORMER_DEFAULTS,
  'text-encoder-decoder': TEXT_ENCODER_DECODER_DEFAULTS,
  word2vec: WORD2VEC_DEFAULTS,
};

/** What an encoder is: its config, its parameter shapes, and its features of a fixed input. */
function fingerprint(encoder: Encoder, input: Tensor): { config: object; shapes: number[][]; values: number[] } {
  const features = encoder.apply(input, { training: false });
  const values = Array.from(features.dataSync());
  features.dispose();
  return {
    config: encoder.config,
    shapes: encoder.trainableVariables.map((variable) => variable.shape),
    values,
  };
}

describe('modelDeclarations', () => {
  it('are keyed by their ids, each with a description, an options schema and what it encodes', () => {
    for (const [id, declaration] of declarations) {
      expect(declaration.id).toBe(id);
      expect(declaration.description.length).toBeGreaterThan(10);
      // A Standard Schema (zod's) that validates the options and fills in their defaults.
      expect(declaration.options?.['~standard'].vendor).toBe('zod');
    }
    expect(declarations.filter(([, declaration]) => declaration.modality === 'text').map(([id]) => id)).toEqual([
      'text-transformer',
      'text-encoder-decoder',
      'word2vec',
    ]);
  });

  it.each(declarations)('%s: states the defaults its factory reads', (id, declaration) => {
    expect(defaultOptions(declaration.options!)).toEqual(defaults[id]);
  });

  it.each(declarations)(
    '%s: made with its declared defaults, is the factory given no options',
    async (id, declaration) => {
      const context = declaration.modality === 'text' ? text : image;
      const input =
        declaration.modality === 'text'
          ? tf.tensor2d([[1, 5, 7, 2, 9, 0, 0, 0]], [1, 8], 'int32')
          : createRng(9).uniformTensor([2, 16, 16, 3]);
      const declared = await declaration.create(defaultOptions(declaration.options!), context);
      const made = bare[id]();
      const [fromDeclaration, fromFactory] = [fingerprint(declared, input), fingerprint(made, input)];
      expect(fromDeclaration.shapes).toEqual(fromFactory.shapes);
      expect(fromDeclaration.values).toEqual(fromFactory.values);
      // The declared one's config also records the defaults it was given (weightInit, mlpRatio).
      expect(fromDeclaration.config).toMatchObject(fromFactory.config);
      tf.dispose(input);
      declared.dispose();
      made.dispose();
    },
  );

  it('text encoders need text data; option rules hold', async () => {
    await expect(modelDeclarations.word2vec.create({ dim: 8 }, image)).rejects.toThrow(
      'word2vec needs text data (data.kind text-corpus)',
    );
    const heads = modelDeclarations['text-transformer'].options!['~standard'].validate({ dim: 10, heads: 4 });
    expect(heads).toMatchObject({ issues: [{ message: 'heads must divide dim' }] });
    const blocks = modelDeclarations['small-cnn'].options!['~standard'].validate({ widths: [8], strides: [1, 2] });
    expect(blocks).toMatchObject({ issues: [{ message: 'widths and strides must have the same length' }] });
  });
});
