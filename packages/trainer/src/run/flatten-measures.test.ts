import { describe, expect, it } from 'vitest';
import { flattenMeasures } from './flatten-measures.js';

describe('flattenMeasures', () => {
  it('names nested figures by their path, keeps numbers, strings and null, leaves undefined out', () => {
    const fineTune = { labels: 96, epochs: 1, pretrained: { trainAccuracy: 0.5, testAccuracy: 0.4 } };
    expect(
      flattenMeasures({
        heldOut: { rotationAccuracy: 0.9 },
        pretextChance: 0.25,
        colour: undefined,
        note: 'grey',
        missing: null,
        fineTune,
        sizes: [1, 2],
      }),
    ).toEqual({
      'heldOut.rotationAccuracy': 0.9,
      pretextChance: 0.25,
      note: 'grey',
      missing: null,
      'fineTune.labels': 96,
      'fineTune.epochs': 1,
      'fineTune.pretrained.trainAccuracy': 0.5,
      'fineTune.pretrained.testAccuracy': 0.4,
      sizes: '[1,2]',
    });
    expect(flattenMeasures({})).toEqual({});
  });

  it('refuses what is not a figure, naming where it is', () => {
    expect(() => flattenMeasures({ heldOut: { done: true } })).toThrow(
      'flattenMeasures: heldOut.done is a boolean, not a figure (number, string, null)',
    );
  });
});
