import { type Scalar, tf } from '@selfsup/backend';
import { defaultOptions } from '@selfsup/pretext/option-schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { barlowTwins } from './barlow-twins.js';
import {
  BARLOW_TWINS_DEFAULTS,
  type LossDeclaration,
  lossDeclarations,
  NT_XENT_DEFAULTS,
  VICREG_DEFAULTS,
  type ViewPairLoss,
} from './declarations.js';
import { ntXent } from './nt-xent.js';
import { scalarValue, seededMatrix, tensor, useWasm } from './test-inputs.js';
import { vicreg } from './vicreg.js';

beforeAll(useWasm);

/** Each loss called with no options: what its factory does when the declaration's defaults apply. */
const withoutOptions: Record<keyof typeof lossDeclarations, ViewPairLoss> = {
  'nt-xent': (z1, z2) => ntXent(z1, z2),
  'barlow-twins': (z1, z2) => barlowTwins(z1, z2),
  vicreg: (z1, z2) => vicreg(z1, z2).loss as Scalar,
};

const declarations = Object.entries(lossDeclarations) as Array<[keyof typeof lossDeclarations, LossDeclaration]>;

describe('lossDeclarations', () => {
  it('are keyed by their ids, each with a description and an options schema', () => {
    expect(Object.keys(lossDeclarations).sort()).toEqual(['barlow-twins', 'nt-xent', 'vicreg']);
    for (const [id, declaration] of declarations) {
      expect(declaration.id).toBe(id);
      expect(declaration.description.length).toBeGreaterThan(10);
      // A Standard Schema (zod's) that validates the options and fills in their defaults.
      expect(declaration.options?.['~standard'].vendor).toBe('zod');
    }
  });

  it('state the defaults the losses use: the exported constants, filled in when no option is given', () => {
    expect(defaultOptions(lossDeclarations['nt-xent'].options!)).toEqual(NT_XENT_DEFAULTS);
    expect(defaultOptions(lossDeclarations['barlow-twins'].options!)).toEqual(BARLOW_TWINS_DEFAULTS);
    expect(defaultOptions(lossDeclarations.vicreg.options!)).toEqual(VICREG_DEFAULTS);
  });

  it.each(declarations)(
    '%s: made with its declared defaults, is the loss called with no options',
    async (id, declaration) => {
      const loss = await declaration.create(defaultOptions(declaration.options!));
      const [z1, z2] = [tensor(seededMatrix(8, 6, 1)), tensor(seededMatrix(8, 6, 2))];
      const made = scalarValue(() => loss(z1, z2));
      expect(made).toBe(scalarValue(() => withoutOptions[id](z1, z2)));
      // Other options give another value, so the comparison can fail.
      const other = await declaration.create(
        Object.fromEntries(
          Object.entries(defaultOptions(declaration.options!)).map(([name, value]) => [name, 2 * (value as number)]),
        ),
      );
      expect(scalarValue(() => other(z1, z2))).not.toBe(made);
      tf.dispose([z1, z2]);
    },
  );

  it('reject unknown options, naming the closest known one', () => {
    const result = lossDeclarations['nt-xent'].options!['~standard'].validate({ temprature: 0.1 });
    expect(result).toMatchObject({
      issues: [{ message: "unknown field 'temprature' (did you mean 'temperature'?); allowed: temperature" }],
    });
  });
});
