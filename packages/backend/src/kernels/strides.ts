/** Row-major element strides of `shape`: the last axis has stride 1. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis] as number;
  }
  return strides;
}

/**
 * Calls `visit(srcOffset, dstOffset)` (in elements) for every index of the given outer axes, the
 * last axis fastest — the loop around the SIMD copies of `Slice` and `Transpose`.
 */
export function forEachOuter(
  sizes: readonly number[],
  srcStrides: readonly number[],
  dstStrides: readonly number[],
  visit: (srcOffset: number, dstOffset: number) => void,
): void {
  const index = new Array<number>(sizes.length).fill(0);
  let src = 0;
  let dst = 0;
  for (;;) {
    visit(src, dst);
    let axis = sizes.length - 1;
    for (; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      src += srcStrides[axis] as number;
      dst += dstStrides[axis] as number;
      if ((index[axis] as number) < (sizes[axis] as number)) break;
      src -= (sizes[axis] as number) * (srcStrides[axis] as number);
      dst -= (sizes[axis] as number) * (dstStrides[axis] as number);
      index[axis] = 0;
    }
    if (axis < 0) return;
  }
}
