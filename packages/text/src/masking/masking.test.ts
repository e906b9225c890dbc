import { createRng } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { maskTokens } from './bert-masking.js';
import { IGNORE_INDEX, type MaskedTokens } from './masked-tokens.js';
import { spanLengthProbabilities, spanMaskTokens } from './span-masking.js';
import { corruptSpans, randomSegmentation } from './t5-span-corruption.js';
import { syntheticBatch, TEST_VOCABULARY as vocabulary } from './test-vocabulary.js';
import { wholeWordMaskTokens } from './whole-word-masking.js';

const SPECIAL = new Set([0, 1, 2, 3, 4, ...vocabulary.sentinelIds]);

/** Counts selection and replacement kinds, checking the invariants of every masking on the way. */
function replacementStats(original: Int32Array, masked: MaskedTokens) {
  let selected = 0;
  let nonSpecial = 0;
  let mask = 0;
  let random = 0;
  let kept = 0;
  const positions: number[] = [];
  original.forEach((id, i) => {
    const label = masked.labels[i] as number;
    const input = masked.inputIds[i] as number;
    if (SPECIAL.has(id)) {
      expect(label).toBe(IGNORE_INDEX); // specials are never selected …
      expect(input).toBe(id); // … nor changed
      return;
    }
    nonSpecial++;
    if (label === IGNORE_INDEX) {
      expect(input).toBe(id); // unselected tokens stay
      return;
    }
    expect(label).toBe(id); // labels line up with positions
    positions.push(i);
    selected++;
    if (input === vocabulary.maskId) mask++;
    else if (input === id) kept++;
    else {
      expect(SPECIAL.has(input)).toBe(false); // random replacements are real tokens
      random++;
    }
  });
  expect(Array.from(masked.maskedPositions)).toEqual(positions);
  return { selected, nonSpecial, mask, random, kept };
}

function sum(stats: ReturnType<typeof replacementStats>[]) {
  return stats.reduce((a, b) => ({
    selected: a.selected + b.selected,
    nonSpecial: a.nonSpecial + b.nonSpecial,
    mask: a.mask + b.mask,
    random: a.random + b.random,
    kept: a.kept + b.kept,
  }));
}

describe('BERT masking', () => {
  it('selects 15 % of non-special tokens and replaces 80/10/10, over 50 seeds', () => {
    const ids = syntheticBatch(64, 128, 1);
    const stats = sum(
      Array.from({ length: 50 }, (_, seed) =>
        replacementStats(ids, maskTokens(ids, [64, 128], { vocabulary }, createRng(seed))),
      ),
    );
    expect(stats.selected / stats.nonSpecial).toBeCloseTo(0.15, 2);
    expect(Math.abs(stats.selected / stats.nonSpecial - 0.15)).toBeLessThan(0.002);
    expect(Math.abs(stats.mask / stats.selected - 0.8)).toBeLessThan(0.005);
    expect(Math.abs(stats.random / stats.selected - 0.1)).toBeLessThan(0.005);
    expect(Math.abs(stats.kept / stats.selected - 0.1)).toBeLessThan(0.005);
  });

  it('follows its options, is deterministic per seed, and names bad input', () => {
    const ids = syntheticBatch(32, 64, 2);
    const all = replacementStats(
      ids,
      maskTokens(
        ids,
        [32, 64],
        { vocabulary, maskProbability: 0.5, maskReplaceProbability: 1, randomReplaceProbability: 0 },
        createRng(3),
      ),
    );
    expect(all.mask).toBe(all.selected);
    expect(all.selected / all.nonSpecial).toBeGreaterThan(0.45);
    const a = maskTokens(ids, [32, 64], { vocabulary }, createRng(7));
    const b = maskTokens(ids, [32, 64], { vocabulary }, createRng(7));
    const c = maskTokens(ids, [32, 64], { vocabulary }, createRng(8));
    expect(a).toEqual(b);
    expect(Array.from(a.inputIds)).not.toEqual(Array.from(c.inputIds));
    const bad = Int32Array.from(ids);
    bad[70] = 1000;
    expect(() => maskTokens(bad, [32, 64], { vocabulary }, createRng(0))).toThrow(
      'maskTokens: token id 1000 at [1, 6] is not in the vocabulary of size 1000',
    );
    expect(() => maskTokens(ids, [32, 65], { vocabulary }, createRng(0))).toThrow(
      'maskTokens: 2048 token ids do not fill [32, 65]',
    );
    expect(() =>
      maskTokens(
        ids,
        [32, 64],
        { vocabulary, maskReplaceProbability: 0.95, randomReplaceProbability: 0.1 },
        createRng(0),
      ),
    ).toThrow(/add up to at most 1/);
  });
});

describe('whole-word masking', () => {
  it('never splits a word, keeps each row within its budget, and replaces 80/10/10', () => {
    const rows = 64;
    const length = 128;
    const stats = [];
    for (let seed = 0; seed < 20; seed++) {
      const ids = syntheticBatch(rows, length, 100 + seed, true);
      const masked = wholeWordMaskTokens(ids, [rows, length], { vocabulary }, createRng(seed));
      stats.push(replacementStats(ids, masked));
      for (let row = 0; row < rows; row++) {
        let tokens = 0;
        let chosen = 0;
        let wordSelected: boolean | undefined;
        for (let column = 0; column < length; column++) {
          const i = row * length + column;
          const id = ids[i] as number;
          if (SPECIAL.has(id)) continue;
          tokens++;
          const selected = masked.labels[i] !== IGNORE_INDEX;
          if (selected) chosen++;
          if (vocabulary.continuation[id] === 1)
            expect(selected).toBe(wordSelected); // a piece follows its word
          else wordSelected = selected;
        }
        expect(chosen).toBeLessThanOrEqual(Math.max(1, Math.round(tokens * 0.15)));
        expect(chosen).toBeGreaterThanOrEqual(Math.max(1, Math.round(tokens * 0.15)) - 2);
      }
    }
    const total = sum(stats);
    expect(Math.abs(total.selected / total.nonSpecial - 0.15)).toBeLessThan(0.01);
    expect(Math.abs(total.mask / total.selected - 0.8)).toBeLessThan(0.01);
    expect(Math.abs(total.random / total.selected - 0.1)).toBeLessThan(0.01);
  });
});

describe('SpanBERT span masking', () => {
  it('draws span lengths from the clipped geometric distribution (mean 3.8 words) within the budget', () => {
    const probabilities = spanLengthProbabilities(0.2, 10);
    const expectedMean = probabilities.reduce((total, p, i) => total + p * (i + 1), 0);
    expect(expectedMean).toBeCloseTo(3.797, 3); // SpanBERT reports a mean of 3.8 words
    const histogram = new Float64Array(10);
    let draws = 0;
    let spans = 0;
    let allMask = 0;
    const rows = 32;
    const length = 256;
    for (let seed = 0; seed < 30; seed++) {
      const ids = syntheticBatch(rows, length, 200 + seed, true);
      const masked = spanMaskTokens(ids, [rows, length], { vocabulary }, createRng(seed));
      replacementStats(ids, masked);
      for (const drawn of masked.drawnLengths) {
        histogram[drawn - 1] = (histogram[drawn - 1] as number) + 1;
        draws++;
      }
      for (let s = 0; s < masked.spans.length; s += 3) {
        const [first, tokens, words] = [masked.spans[s], masked.spans[s + 1], masked.spans[s + 2]] as [
          number,
          number,
          number,
        ];
        expect(words).toBeGreaterThanOrEqual(1);
        expect(words).toBeLessThanOrEqual(10);
        // a span covers whole words: it starts at a word start and the token after it starts a word or is special
        expect(vocabulary.continuation[ids[first] as number]).toBe(0);
        const after = ids[first + tokens] as number;
        expect(after === undefined || SPECIAL.has(after) || vocabulary.continuation[after] === 0).toBe(true);
        const inputs = Array.from(masked.inputIds.subarray(first, first + tokens));
        spans++;
        if (inputs.every((id) => id === vocabulary.maskId)) allMask++;
        else expect(inputs.some((id) => id === vocabulary.maskId)).toBe(false); // a span is replaced as a unit
      }
      for (let row = 0; row < rows; row++) {
        let tokens = 0;
        let chosen = 0;
        for (let column = 0; column < length; column++) {
          const i = row * length + column;
          if (SPECIAL.has(ids[i] as number)) continue;
          tokens++;
          if (masked.labels[i] !== IGNORE_INDEX) chosen++;
        }
        expect(chosen).toBeLessThanOrEqual(Math.round(tokens * 0.15)); // never over budget
        expect(chosen).toBeGreaterThanOrEqual(Math.round(tokens * 0.15) - 3);
      }
    }
    probabilities.forEach((p, i) => {
      expect(Math.abs((histogram[i] as number) / draws - p)).toBeLessThan(0.015);
    });
    expect(Math.abs(allMask / spans - 0.8)).toBeLessThan(0.03);
  });
});

describe('T5 span corruption', () => {
  it('hides round(15 %) of each row in round(noise / 3) spans, and the targets put the row back exactly', () => {
    const rows = 48;
    const length = 128;
    for (let seed = 0; seed < 10; seed++) {
      const ids = syntheticBatch(rows, length, 300 + seed);
      const corrupted = corruptSpans(ids, [rows, length], { vocabulary }, createRng(seed));
      for (let row = 0; row < rows; row++) {
        const content = Array.from(ids.subarray(row * length, (row + 1) * length)).filter((id) => !SPECIAL.has(id));
        const input = Array.from(
          corrupted.inputIds.subarray(row * corrupted.inputLength, (row + 1) * corrupted.inputLength),
        );
        const target = Array.from(
          corrupted.labels.subarray(row * corrupted.targetLength, (row + 1) * corrupted.targetLength),
        );
        const noise = Math.min(Math.max(Math.round(content.length * 0.15), 1), content.length - 1);
        const spans = Math.max(1, Math.round(noise / 3));
        expect(corrupted.spansPerRow[row]).toBe(spans);
        expect(target.filter((id) => id !== IGNORE_INDEX).length).toBe(noise + spans + 1);
        // Rebuild: each sentinel in the input is replaced by the tokens after it in the target.
        const spansOf = new Map<number, number[]>();
        let current: number[] = [];
        for (const id of target) {
          if (id === IGNORE_INDEX || id === vocabulary.sepId) break;
          if (vocabulary.sentinelIds.includes(id)) {
            current = [];
            spansOf.set(id, current);
          } else current.push(id);
        }
        const rebuilt: number[] = [];
        for (const id of input) {
          if (id === vocabulary.sepId) break;
          if (vocabulary.sentinelIds.includes(id)) rebuilt.push(...(spansOf.get(id) ?? [-1]));
          else rebuilt.push(id);
        }
        expect(rebuilt).toEqual(content);
        expect(input.filter((id) => vocabulary.sentinelIds.includes(id))).toEqual(
          vocabulary.sentinelIds.slice(0, spans),
        );
        // decoder inputs are the targets shifted right behind the pad id
        const decoderInputs = Array.from(
          corrupted.decoderInputIds.subarray(row * corrupted.targetLength, (row + 1) * corrupted.targetLength),
        );
        const realTarget = target.filter((id) => id !== IGNORE_INDEX);
        expect(decoderInputs.slice(0, realTarget.length)).toEqual([vocabulary.padId, ...realTarget.slice(0, -1)]);
      }
    }
  });

  it('segments uniformly into positive parts, and names a vocabulary without enough sentinels', () => {
    const rng = createRng(4);
    const firstLengths = new Float64Array(8);
    for (let i = 0; i < 4000; i++) {
      const parts = randomSegmentation(10, 3, rng);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(10);
      expect(Math.min(...parts)).toBeGreaterThanOrEqual(1);
      firstLengths[(parts[0] as number) - 1]! += 1;
    }
    // Compositions of 10 into 3 positive parts: P(first = k) = (9 − k) / 36.
    firstLengths.forEach((count, k) => {
      expect(Math.abs(count / 4000 - (8 - k) / 36)).toBeLessThan(0.025);
    });
    const few = { ...vocabulary, sentinelIds: [5, 6] };
    expect(() =>
      corruptSpans(
        syntheticBatch(2, 128, 0).map((id) => (id === 0 ? 200 : id)),
        [2, 128],
        { vocabulary: few },
        createRng(0),
      ),
    ).toThrow(/corruptSpans: row 0 needs \d+ sentinel tokens but the vocabulary has 2/);
  });
});
