// Bulk copies and fills of 4-byte elements.

/**
 * Copies `count` contiguous chunks of `chunk` elements: chunk i goes from src + i·srcStride to
 * dst + i·dstStride (strides in elements). The inner loop of a transpose that keeps the innermost
 * axis in place.
 */
export function copyChunks(src: usize, dst: usize, count: i32, chunk: i32, srcStride: i32, dstStride: i32): void {
  const bytes = (<usize>chunk) << 2;
  const sStride = (<usize>srcStride) << 2;
  const dStride = (<usize>dstStride) << 2;
  for (let i = 0; i < count; i++) {
    memory.copy(dst + <usize>i * dStride, src + <usize>i * sStride, bytes);
  }
}

/** Sets `count` elements at dst to zero. */
export function fillZero(dst: usize, count: i32): void {
  memory.fill(dst, 0, (<usize>count) << 2);
}
