// Strided placement of NHWC blocks, for the sub-pixel input gradient of strided convolutions.

/**
 * Copies src [batch, rows, cols, channels] into dst [batch, height, width, channels]: pixel
 * (a, b) lands at (a·strideH + offsetH, b·strideW + offsetW); pixels that land outside dst are
 * dropped. Other dst pixels are left as they are.
 */
export function scatterStrided(
  src: usize,
  batch: i32,
  rows: i32,
  cols: i32,
  channels: i32,
  dst: usize,
  height: i32,
  width: i32,
  strideH: i32,
  strideW: i32,
  offsetH: i32,
  offsetW: i32,
): void {
  const pixelBytes = (<usize>channels) << 2;
  for (let n = 0; n < batch; n++) {
    for (let a = 0; a < rows; a++) {
      const h = a * strideH + offsetH;
      if (h < 0 || h >= height) continue;
      const srcRow = src + <usize>((n * rows + a) * cols) * pixelBytes;
      const dstRow = dst + <usize>((n * height + h) * width) * pixelBytes;
      for (let b = 0; b < cols; b++) {
        const w = b * strideW + offsetW;
        if (w < 0 || w >= width) continue;
        memory.copy(dstRow + <usize>w * pixelBytes, srcRow + <usize>b * pixelBytes, pixelBytes);
      }
    }
  }
}
