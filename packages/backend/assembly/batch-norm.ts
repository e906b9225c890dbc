// Fused passes of batch normalization (+ optional ReLU) over [rows, channels] float32 data,
// channels innermost (NHWC flattened).

const L1_FLOATS: i32 = 4096;

/**
 * Per-channel mean and biased variance in one pass: float64 sums of x and x² (totals in
 * `scratch`, 2·channels float64 values), var = E[x²] − E[x]² in float64, clamped at 0.
 */
export function channelMoments(x: usize, rows: i32, channels: i32, mean: usize, variance: usize, scratch: usize): void {
  const sums = scratch;
  const squares = scratch + ((<usize>channels) << 3);
  memory.fill(scratch, 0, (<usize>channels) << 4);
  const rowBlock = max(1, L1_FLOATS / channels);
  const rowBytes = (<usize>channels) << 2;
  const c4 = channels & ~3;
  for (let r0 = 0; r0 < rows; r0 += rowBlock) {
    const r1 = min(r0 + rowBlock, rows);
    for (let c = 0; c < c4; c += 4) {
      const s = sums + ((<usize>c) << 3);
      const q = squares + ((<usize>c) << 3);
      let sLow = v128.load(s);
      let sHigh = v128.load(s + 16);
      let qLow = v128.load(q);
      let qHigh = v128.load(q + 16);
      let p = x + <usize>r0 * rowBytes + ((<usize>c) << 2);
      for (let r = r0; r < r1; r++) {
        const v = v128.load(p);
        const low = f64x2.promote_low_f32x4(v);
        const high = f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1));
        sLow = f64x2.add(sLow, low);
        sHigh = f64x2.add(sHigh, high);
        qLow = f64x2.add(qLow, f64x2.mul(low, low));
        qHigh = f64x2.add(qHigh, f64x2.mul(high, high));
        p += rowBytes;
      }
      v128.store(s, sLow);
      v128.store(s + 16, sHigh);
      v128.store(q, qLow);
      v128.store(q + 16, qHigh);
    }
    for (let c = c4; c < channels; c++) {
      let sum: f64 = 0;
      let square: f64 = 0;
      let p = x + <usize>r0 * rowBytes + ((<usize>c) << 2);
      for (let r = r0; r < r1; r++) {
        const v = <f64>load<f32>(p);
        sum += v;
        square += v * v;
        p += rowBytes;
      }
      const s = sums + ((<usize>c) << 3);
      const q = squares + ((<usize>c) << 3);
      store<f64>(s, load<f64>(s) + sum);
      store<f64>(q, load<f64>(q) + square);
    }
  }
  const n = <f64>rows;
  for (let c = 0; c < channels; c++) {
    const m = load<f64>(sums + ((<usize>c) << 3)) / n;
    const v = load<f64>(squares + ((<usize>c) << 3)) / n - m * m;
    store<f32>(mean + ((<usize>c) << 2), <f32>m);
    store<f32>(variance + ((<usize>c) << 2), <f32>(v > 0 ? v : 0));
  }
}

/**
 * y = (x − mean[c])·scale[c] + shift[c], then max(0, ·) when relu ≠ 0. Centering first keeps
 * precision when |mean| ≫ std.
 */
export function normalizeChannels(x: usize, rows: i32, channels: i32, mean: usize, scale: usize, shift: usize, relu: i32, y: usize): void {
  const c4 = channels & ~3;
  const zero = f32x4.splat(0);
  let p = x;
  let o = y;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < c4; c += 4) {
      const offset = (<usize>c) << 2;
      let v = f32x4.add(f32x4.mul(f32x4.sub(v128.load(p + offset), v128.load(mean + offset)), v128.load(scale + offset)), v128.load(shift + offset));
      if (relu) v = f32x4.max(v, zero);
      v128.store(o + offset, v);
    }
    for (let c = c4; c < channels; c++) {
      const offset = (<usize>c) << 2;
      let v = (load<f32>(p + offset) - load<f32>(mean + offset)) * load<f32>(scale + offset) + load<f32>(shift + offset);
      if (relu && v < 0) v = 0;
      store<f32>(o + offset, v);
    }
    p += (<usize>channels) << 2;
    o += (<usize>channels) << 2;
  }
}

/**
 * The two per-channel sums of the batch-norm gradient, with g = dy masked by y > 0 when relu ≠ 0:
 * sumG[c] = Σ g and sumGCentered[c] = Σ g·(x − mean[c]). float64 totals in `scratch`
 * (2·channels float64 values).
 */
export function batchNormGradSums(
  dy: usize,
  x: usize,
  y: usize,
  rows: i32,
  channels: i32,
  mean: usize,
  relu: i32,
  sumG: usize,
  sumGCentered: usize,
  scratch: usize,
): void {
  const gTotals = scratch;
  const cTotals = scratch + ((<usize>channels) << 3);
  memory.fill(scratch, 0, (<usize>channels) << 4);
  const rowBlock = max(1, L1_FLOATS / channels);
  const rowBytes = (<usize>channels) << 2;
  const c4 = channels & ~3;
  const zero = f32x4.splat(0);
  for (let r0 = 0; r0 < rows; r0 += rowBlock) {
    const r1 = min(r0 + rowBlock, rows);
    for (let c = 0; c < c4; c += 4) {
      const offset = (<usize>c) << 2;
      const m = v128.load(mean + offset);
      const gt = gTotals + ((<usize>c) << 3);
      const ct = cTotals + ((<usize>c) << 3);
      let gLow = v128.load(gt);
      let gHigh = v128.load(gt + 16);
      let cLow = v128.load(ct);
      let cHigh = v128.load(ct + 16);
      let start = <usize>r0 * rowBytes + offset;
      for (let r = r0; r < r1; r++) {
        let g = v128.load(dy + start);
        if (relu) g = v128.and(g, f32x4.gt(v128.load(y + start), zero));
        const centered = f32x4.mul(g, f32x4.sub(v128.load(x + start), m));
        gLow = f64x2.add(gLow, f64x2.promote_low_f32x4(g));
        gHigh = f64x2.add(gHigh, f64x2.promote_low_f32x4(v128.shuffle<i32>(g, g, 2, 3, 0, 1)));
        cLow = f64x2.add(cLow, f64x2.promote_low_f32x4(centered));
        cHigh = f64x2.add(cHigh, f64x2.promote_low_f32x4(v128.shuffle<i32>(centered, centered, 2, 3, 0, 1)));
        start += rowBytes;
      }
      v128.store(gt, gLow);
      v128.store(gt + 16, gHigh);
      v128.store(ct, cLow);
      v128.store(ct + 16, cHigh);
    }
    for (let c = c4; c < channels; c++) {
      const offset = (<usize>c) << 2;
      const m = load<f32>(mean + offset);
      let gSum: f64 = 0;
      let cSum: f64 = 0;
      let start = <usize>r0 * rowBytes + offset;
      for (let r = r0; r < r1; r++) {
        let g = load<f32>(dy + start);
        if (relu && !(load<f32>(y + start) > 0)) g = 0;
        gSum += <f64>g;
        cSum += <f64>(g * (load<f32>(x + start) - m));
        start += rowBytes;
      }
      const gt = gTotals + ((<usize>c) << 3);
      const ct = cTotals + ((<usize>c) << 3);
      store<f64>(gt, load<f64>(gt) + gSum);
      store<f64>(ct, load<f64>(ct) + cSum);
    }
  }
  for (let c = 0; c < channels; c++) {
    store<f32>(sumG + ((<usize>c) << 2), <f32>load<f64>(gTotals + ((<usize>c) << 3)));
    store<f32>(sumGCentered + ((<usize>c) << 2), <f32>load<f64>(cTotals + ((<usize>c) << 3)));
  }
}

/** dx = a[c]·g + b[c]·(x − mean[c]) + k[c], with g = dy masked by y > 0 when relu ≠ 0. */
export function batchNormGradInput(
  dy: usize,
  x: usize,
  y: usize,
  rows: i32,
  channels: i32,
  mean: usize,
  a: usize,
  b: usize,
  k: usize,
  relu: i32,
  dx: usize,
): void {
  const c4 = channels & ~3;
  const zero = f32x4.splat(0);
  const rowBytes = (<usize>channels) << 2;
  let start: usize = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < c4; c += 4) {
      const offset = (<usize>c) << 2;
      const at = start + offset;
      let g = v128.load(dy + at);
      if (relu) g = v128.and(g, f32x4.gt(v128.load(y + at), zero));
      const centered = f32x4.sub(v128.load(x + at), v128.load(mean + offset));
      const v = f32x4.add(f32x4.add(f32x4.mul(v128.load(a + offset), g), f32x4.mul(v128.load(b + offset), centered)), v128.load(k + offset));
      v128.store(dx + at, v);
    }
    for (let c = c4; c < channels; c++) {
      const offset = (<usize>c) << 2;
      const at = start + offset;
      let g = load<f32>(dy + at);
      if (relu && !(load<f32>(y + at) > 0)) g = 0;
      const centered = load<f32>(x + at) - load<f32>(mean + offset);
      store<f32>(dx + at, load<f32>(a + offset) * g + load<f32>(b + offset) * centered + load<f32>(k + offset));
    }
    start += rowBytes;
  }
}
