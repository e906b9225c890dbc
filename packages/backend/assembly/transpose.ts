// Transposes of 4-byte elements (float32, int32).

// Transposes one 4×4 tile: rows at s, s+sStride, … → columns at d, d+dStride, … (strides in bytes).
@inline
function tile4x4(s: usize, d: usize, sStride: usize, dStride: usize): void {
  const r0 = v128.load(s);
  const r1 = v128.load(s + sStride);
  const r2 = v128.load(s + 2 * sStride);
  const r3 = v128.load(s + 3 * sStride);
  const lo01 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
  const hi01 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
  const lo23 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const hi23 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<i64>(lo01, lo23, 0, 2));
  v128.store(d + dStride, v128.shuffle<i64>(lo01, lo23, 1, 3));
  v128.store(d + 2 * dStride, v128.shuffle<i64>(hi01, hi23, 0, 2));
  v128.store(d + 3 * dStride, v128.shuffle<i64>(hi01, hi23, 1, 3));
}

/**
 * For each of `batch` planes: dst[c][r] = src[r][c] for r < rows, c < cols. Strides are in
 * elements: srcRowStride between source rows, dstRowStride between destination rows (one per
 * source column), and the batch strides between planes. Cache-blocked 16×16 with 4×4 SIMD tiles.
 */
export function transposePlanes(
  src: usize,
  dst: usize,
  rows: i32,
  cols: i32,
  srcRowStride: i32,
  dstRowStride: i32,
  batch: i32,
  srcBatchStride: i32,
  dstBatchStride: i32,
): void {
  const block: i32 = 16;
  const sStride = (<usize>srcRowStride) << 2;
  const dStride = (<usize>dstRowStride) << 2;
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  for (let b = 0; b < batch; b++) {
    const s0 = src + ((<usize>b * <usize>srcBatchStride) << 2);
    const d0 = dst + ((<usize>b * <usize>dstBatchStride) << 2);
    for (let r0 = 0; r0 < rows4; r0 += block) {
      const r1 = min(r0 + block, rows4);
      for (let c0 = 0; c0 < cols4; c0 += block) {
        const c1 = min(c0 + block, cols4);
        for (let r = r0; r < r1; r += 4) {
          for (let c = c0; c < c1; c += 4) {
            tile4x4(s0 + <usize>r * sStride + ((<usize>c) << 2), d0 + <usize>c * dStride + ((<usize>r) << 2), sStride, dStride);
          }
        }
      }
    }
    // The ragged right and bottom edges, one element at a time.
    for (let r = 0; r < rows; r++) {
      const firstCol = r < rows4 ? cols4 : 0;
      for (let c = firstCol; c < cols; c++) {
        store<u32>(d0 + <usize>c * dStride + ((<usize>r) << 2), load<u32>(s0 + <usize>r * sStride + ((<usize>c) << 2)));
      }
    }
  }
}
