// Reductions over the leading axis of a [rows, cols] float32 matrix.

/** Rows of a block, chosen so a block of the matrix stays in L1 while its columns are summed. */
const L1_FLOATS: i32 = 4096;

/**
 * dst[c] = scale · Σ_r src[r·cols + c] (float32 in, float32 out). Every value is accumulated in
 * float64 SIMD lanes (totals kept in `scratch`, cols float64 values), so sums over hundreds of
 * thousands of rows lose nothing before the final rounding to float32. Memory-bound either way.
 */
export function sumLeading(src: usize, rows: i32, cols: i32, dst: usize, scratch: usize, scale: f64): void {
  memory.fill(scratch, 0, (<usize>cols) << 3);
  const rowBlock = max(1, L1_FLOATS / cols);
  const rowBytes = (<usize>cols) << 2;
  const cols4 = cols & ~3;
  for (let r0 = 0; r0 < rows; r0 += rowBlock) {
    const r1 = min(r0 + rowBlock, rows);
    for (let c = 0; c < cols4; c += 4) {
      const t = scratch + ((<usize>c) << 3);
      let low = v128.load(t);
      let high = v128.load(t + 16);
      let p = src + <usize>r0 * rowBytes + ((<usize>c) << 2);
      for (let r = r0; r < r1; r++) {
        const v = v128.load(p);
        low = f64x2.add(low, f64x2.promote_low_f32x4(v));
        high = f64x2.add(high, f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1)));
        p += rowBytes;
      }
      v128.store(t, low);
      v128.store(t + 16, high);
    }
    for (let c = cols4; c < cols; c++) {
      let acc: f64 = 0;
      let p = src + <usize>r0 * rowBytes + ((<usize>c) << 2);
      for (let r = r0; r < r1; r++) {
        acc += <f64>load<f32>(p);
        p += rowBytes;
      }
      const t = scratch + ((<usize>c) << 3);
      store<f64>(t, load<f64>(t) + acc);
    }
  }
  for (let c = 0; c < cols; c++) {
    store<f32>(dst + ((<usize>c) << 2), <f32>(load<f64>(scratch + ((<usize>c) << 3)) * scale));
  }
}
