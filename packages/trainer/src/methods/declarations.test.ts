import { createRng, initBackend, type Scalar, type Tensor, tf } from '@selfsup/backend';
import { createSmallCnn, type Encoder } from '@selfsup/models';
import { defaultOptions } from '@selfsup/pretext/option-schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BARLOW_TWINS_METHOD_DEFAULTS,
  BYOL_DEFAULTS,
  type MethodDeclaration,
  MOCO_V2_DEFAULTS,
  methodDeclarations,
  PROJECTION_DEFAULTS,
  SIMCLR_DEFAULTS,
  VICREG_METHOD_DEFAULTS,
} from '../declarations.js';
import type { TrainingObjective } from '../training-objective.js';
import { sslMethods } from './methods.js';
import { defaultTwoViews, type MethodOptions } from './view-objective.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

type Id = keyof typeof methodDeclarations;
const declarations = Object.entries(methodDeclarations) as Array<[Id, MethodDeclaration]>;
const smallCnn = () => createSmallCnn({ widths: [8, 16], strides: [1, 2], seed: 2 });

/** What an objective is: its modules' configs, and its loss on a fixed batch drawn with a fixed rng. */
function fingerprint(objective: TrainingObjective): { configs: unknown; loss: number } {
  const configs = Object.fromEntries(Object.entries(objective.modules).map(([name, module]) => [name, module.config]));
  const batch = createRng(5).uniformTensor([6, 12, 12, 1]);
  const prepared = objective.prepare(batch, createRng(6)) as { views: Tensor[] };
  const loss = objective.loss(prepared, { step: 0, totalSteps: 10 }) as Scalar;
  const value = loss.dataSync()[0] as number;
  tf.dispose([batch, loss, ...prepared.views]);
  return { configs, loss: value };
}

describe('methodDeclarations', () => {
  it('are keyed by their ids: the trainer’s methods and two-view, each with a description, views and a recipe', () => {
    expect(Object.keys(methodDeclarations).sort()).toEqual([...Object.keys(sslMethods), 'two-view'].sort());
    for (const [id, declaration] of declarations) {
      expect(declaration.id).toBe(id);
      expect(declaration.description.length).toBeGreaterThan(10);
      expect(declaration.views).toBe(2);
      if (declaration.multiCrop === true) {
        // DINO and SwAV: their global views, then the local crops of the multi-crop recipe.
        expect(declaration.defaultAugmentations(3).preset).toBe('dino');
        expect(declaration.defaultAugmentations(1, [28, 28])).toMatchObject({
          preset: 'dino',
          options: { globalSize: [28, 28], localSize: [28, 28] },
        });
        continue;
      }
      expect(declaration.defaultAugmentations(3).preset).toMatch(/^(simclr|byol)$/);
      expect(declaration.defaultAugmentations(1).preset).toBe('fashion-mnist-simclr');
    }
    expect(declarations.filter(([, declaration]) => declaration.multiCrop === true).map(([id]) => id)).toEqual([
      'dino',
      'swav',
    ]);
  });

  it('state the defaults the factories read', () => {
    const { outputSize, layers, batchNorm } = PROJECTION_DEFAULTS;
    expect(defaultOptions(methodDeclarations.simclr.options!)).toEqual({
      temperature: SIMCLR_DEFAULTS.temperature,
      projection: { outputSize, layers, batchNorm },
    });
    expect(defaultOptions(methodDeclarations['two-view'].options!)).toEqual({
      projection: { outputSize, layers, batchNorm },
    });
    const { projection, ...moco } = MOCO_V2_DEFAULTS;
    expect(defaultOptions(methodDeclarations['moco-v2'].options!)).toEqual({
      ...moco,
      projection: { outputSize: projection.outputSize },
    });
    expect(defaultOptions(methodDeclarations.byol.options!)).toEqual({
      momentum: BYOL_DEFAULTS.momentum,
      outputSize: BYOL_DEFAULTS.outputSize,
    });
    expect(defaultOptions(methodDeclarations['barlow-twins'].options!)).toEqual({
      lambda: BARLOW_TWINS_METHOD_DEFAULTS.lambda,
    });
    const { projectionSize: _, ...coefficients } = VICREG_METHOD_DEFAULTS;
    expect(defaultOptions(methodDeclarations.vicreg.options!)).toEqual(coefficients);
    expect(defaultOptions(methodDeclarations.simsiam.options!)).toEqual({});
  });

  it.each(Object.keys(sslMethods) as Array<keyof typeof sslMethods>)(
    '%s: made from its declared defaults (completed for the encoder), is the factory given no options',
    async (id) => {
      const encoder = smallCnn();
      const views = defaultTwoViews(encoder);
      const declaration = methodDeclarations[id];
      const completed = declaration.completeOptions?.(defaultOptions(declaration.options!), encoder);
      const declared = await declaration.create(completed ?? defaultOptions(declaration.options!), {
        encoder,
        views,
        seed: 3,
      });
      const bare = (sslMethods[id] as (options: MethodOptions) => TrainingObjective)({ encoder, views, seed: 3 });
      expect(fingerprint(declared)).toEqual(fingerprint(bare));
      declared.dispose();
      bare.dispose();
      encoder.dispose();
    },
  );

  it('two-view: the trainer’s two-view method with the configured projection and the run’s loss', async () => {
    const encoder = smallCnn();
    const declaration = methodDeclarations['two-view'];
    const options = declaration.completeOptions?.(
      { projection: { outputSize: 10, layers: 2, batchNorm: false } },
      encoder,
    );
    expect(options).toEqual({ projection: { outputSize: 10, layers: 2, batchNorm: false, hiddenSize: 16 } });
    const seen: number[][] = [];
    const method = await declaration.create(options ?? {}, {
      encoder,
      views: defaultTwoViews(encoder),
      seed: 3,
      loss: (z1, z2) => {
        seen.push(z1.shape, z2.shape);
        return tf.mean(tf.squaredDifference(z1, z2));
      },
    });
    expect(method.id).toBe('two-view');
    expect(Object.keys(method.modules)).toEqual(['encoder', 'projector']);
    const batch = tf.zeros([4, 28, 28, 1]);
    const prepared = method.prepare(batch, createRng(1)) as { views: tf.Tensor[] };
    const loss = method.loss(prepared, { step: 0, totalSteps: 1 });
    expect(seen).toEqual([
      [4, 10],
      [4, 10],
    ]);
    tf.dispose([batch, loss, ...prepared.views]);
    method.dispose();
    encoder.dispose();
  });

  it('two-view: refuses to build without a loss', async () => {
    const encoder: Encoder = smallCnn();
    await expect(
      methodDeclarations['two-view'].create({}, { encoder, views: defaultTwoViews(encoder), seed: 1 }),
    ).rejects.toThrow("method 'two-view' needs a loss");
    encoder.dispose();
  });
});
