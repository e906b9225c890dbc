/**
 * The non-padding tokens of segment `segment` of sample `sample` in ids [N, S, L] (segments are
 * padded on the right with the pad id).
 */
export function segmentTokens(
  ids: Int32Array,
  sample: number,
  segment: number,
  segments: number,
  length: number,
  padId: number,
): Int32Array {
  const start = (sample * segments + segment) * length;
  let end = start;
  while (end < start + length && ids[end] !== padId) end++;
  return ids.subarray(start, end);
}

/**
 * Packs segments as `[CLS] s0 [SEP] s1 [SEP] …` into `out` at `offset` (the rest stays as the
 * caller filled it, i.e. padding); returns the packed length.
 */
export function packSegments(
  out: Int32Array,
  offset: number,
  parts: readonly Int32Array[],
  clsId: number,
  sepId: number,
): number {
  let position = offset;
  out[position++] = clsId;
  for (const part of parts) {
    out.set(part, position);
    position += part.length;
    out[position++] = sepId;
  }
  return position - offset;
}
