// Max-pooling gradient (NHWC float32): tfjs-backend-wasm 4.22's sends the gradient to the window's
// first element when every value in the window is negative.

/**
 * dx = 0; for every output (n, oh, ow, c): dx[argmax of its window] += dy[n, oh, ow, c], the argmax
 * being the first maximum (windows may hang over the padding; dilation supported).
 */
export function maxPoolGrad(
  x: usize,
  dy: usize,
  dx: usize,
  batch: i32,
  channels: i32,
  height: i32,
  width: i32,
  outHeight: i32,
  outWidth: i32,
  strideH: i32,
  strideW: i32,
  dilationH: i32,
  dilationW: i32,
  effectiveFilterH: i32,
  effectiveFilterW: i32,
  padTop: i32,
  padLeft: i32,
): void {
  memory.fill(dx, 0, (<usize>batch * <usize>height * <usize>width * <usize>channels) << 2);
  for (let n = 0; n < batch; n++) {
    const image = <usize>n * <usize>height * <usize>width * <usize>channels;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const outIndex = ((<usize>n * <usize>outHeight + <usize>oh) * <usize>outWidth + <usize>ow) * <usize>channels;
        for (let c = 0; c < channels; c++) {
          let best: f32 = -Infinity;
          let bestIndex: isize = -1;
          for (let fh = 0; fh < effectiveFilterH; fh += dilationH) {
            const h = oh * strideH - padTop + fh;
            if (h < 0 || h >= height) continue;
            for (let fw = 0; fw < effectiveFilterW; fw += dilationW) {
              const w = ow * strideW - padLeft + fw;
              if (w < 0 || w >= width) continue;
              const index = image + (<usize>h * <usize>width + <usize>w) * <usize>channels + <usize>c;
              const value = load<f32>(x + (index << 2));
              if (value > best || bestIndex < 0) {
                best = value;
                bestIndex = <isize>index;
              }
            }
          }
          if (bestIndex >= 0) {
            const target = dx + ((<usize>bestIndex) << 2);
            store<f32>(target, load<f32>(target) + load<f32>(dy + ((outIndex + <usize>c) << 2)));
          }
        }
      }
    }
  }
}
