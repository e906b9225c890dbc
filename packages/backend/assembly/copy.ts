// Bulk copies and fills of 4-byte elements.

@inline
function copyElements(dst: usize, src: usize, count: usize): void {
  if (count <= 4) {
    for (let i: usize = 0; i < count; i++) store<u32>(dst + (i << 2), load<u32>(src + (i << 2)));
  } else {
    memory.copy(dst, src, count << 2);
  }
}

/**
 * Copies `count` contiguous chunks of `chunk` elements: chunk i goes from src + i·srcStride to
 * dst + i·dstStride (strides in elements). The inner loop of transposes that keep the innermost
 * axis, of concatenation and of slicing.
 */
export function copyChunks(src: usize, dst: usize, count: i32, chunk: i32, srcStride: i32, dstStride: i32): void {
  const sStride = (<usize>srcStride) << 2;
  const dStride = (<usize>dstStride) << 2;
  for (let i = 0; i < count; i++) copyElements(dst + <usize>i * dStride, src + <usize>i * sStride, <usize>chunk);
}

/** Sets `count` elements at dst to zero. */
export function fillZero(dst: usize, count: i32): void {
  memory.fill(dst, 0, (<usize>count) << 2);
}

/**
 * Gather of chunks by index: for each of `outer` blocks (strides `srcOuterStride`,
 * `dstOuterStride`), dst chunk i = src chunk indices[i] (chunks of `chunk` elements; indices
 * int32 at `indices`, already range-checked).
 */
export function gatherChunks(src: usize, dst: usize, indices: usize, count: i32, chunk: i32, outer: i32, srcOuterStride: i32, dstOuterStride: i32): void {
  const bytes = (<usize>chunk) << 2;
  for (let o = 0; o < outer; o++) {
    const s = src + ((<usize>o * <usize>srcOuterStride) << 2);
    const d = dst + ((<usize>o * <usize>dstOuterStride) << 2);
    for (let i = 0; i < count; i++) {
      const index = <usize>load<i32>(indices + ((<usize>i) << 2));
      copyElements(d + <usize>i * bytes, s + index * bytes, <usize>chunk);
    }
  }
}

/** For each of `outer` chunks of `chunk` elements, writes it `reps` times in a row (tiling one axis). */
export function repeatChunks(src: usize, dst: usize, outer: i32, chunk: i32, reps: i32): void {
  const bytes = (<usize>chunk) << 2;
  let d = dst;
  for (let o = 0; o < outer; o++) {
    const s = src + <usize>o * bytes;
    for (let r = 0; r < reps; r++) {
      copyElements(d, s, <usize>chunk);
      d += bytes;
    }
  }
}
