// Bilinear crop-and-resize (TensorFlow's crop_and_resize semantics) for float32 NHWC images.

/**
 * For each box b (normalized [y1, x1, y2, x2] float32 at `boxes`, image index int32 at `boxIndex`)
 * samples a cropHeight × cropWidth grid, corner-aligned between the box edges, with bilinear
 * interpolation; samples outside the image get `extrapolation`. Output [B, cropH, cropW, C].
 */
export function cropResizeBilinear(
  images: usize,
  height: i32,
  width: i32,
  channels: i32,
  boxes: usize,
  boxIndex: usize,
  boxCount: i32,
  cropHeight: i32,
  cropWidth: i32,
  extrapolation: f32,
  out: usize,
): void {
  const rowBytes = (<usize>width * <usize>channels) << 2;
  const imageBytes = <usize>height * rowBytes;
  let o = out;
  for (let b = 0; b < boxCount; b++) {
    const y1 = load<f32>(boxes + ((<usize>b) << 4));
    const x1 = load<f32>(boxes + ((<usize>b) << 4) + 4);
    const y2 = load<f32>(boxes + ((<usize>b) << 4) + 8);
    const x2 = load<f32>(boxes + ((<usize>b) << 4) + 12);
    const image = images + <usize>load<i32>(boxIndex + ((<usize>b) << 2)) * imageBytes;
    const hScale: f32 = cropHeight > 1 ? ((y2 - y1) * <f32>(height - 1)) / <f32>(cropHeight - 1) : 0;
    const wScale: f32 = cropWidth > 1 ? ((x2 - x1) * <f32>(width - 1)) / <f32>(cropWidth - 1) : 0;
    for (let y = 0; y < cropHeight; y++) {
      const inY: f32 = cropHeight > 1 ? y1 * <f32>(height - 1) + <f32>y * hScale : 0.5 * (y1 + y2) * <f32>(height - 1);
      if (inY < 0 || inY > <f32>(height - 1)) {
        for (let k = 0; k < cropWidth * channels; k++) {
          store<f32>(o, extrapolation);
          o += 4;
        }
        continue;
      }
      const top = <i32>Mathf.floor(inY);
      const bottom = <i32>Mathf.ceil(inY);
      const yLerp: f32 = inY - <f32>top;
      const topRow = image + <usize>top * rowBytes;
      const bottomRow = image + <usize>bottom * rowBytes;
      for (let x = 0; x < cropWidth; x++) {
        const inX: f32 = cropWidth > 1 ? x1 * <f32>(width - 1) + <f32>x * wScale : 0.5 * (x1 + x2) * <f32>(width - 1);
        if (inX < 0 || inX > <f32>(width - 1)) {
          for (let c = 0; c < channels; c++) {
            store<f32>(o, extrapolation);
            o += 4;
          }
          continue;
        }
        const left = <i32>Mathf.floor(inX);
        const right = <i32>Mathf.ceil(inX);
        const xLerp: f32 = inX - <f32>left;
        const leftOffset = (<usize>left * <usize>channels) << 2;
        const rightOffset = (<usize>right * <usize>channels) << 2;
        for (let c = 0; c < channels; c++) {
          const channelOffset = (<usize>c) << 2;
          const topLeft = load<f32>(topRow + leftOffset + channelOffset);
          const topRight = load<f32>(topRow + rightOffset + channelOffset);
          const bottomLeft = load<f32>(bottomRow + leftOffset + channelOffset);
          const bottomRight = load<f32>(bottomRow + rightOffset + channelOffset);
          const topValue = topLeft + (topRight - topLeft) * xLerp;
          const bottomValue = bottomLeft + (bottomRight - bottomLeft) * xLerp;
          store<f32>(o, topValue + (bottomValue - topValue) * yLerp);
          o += 4;
        }
      }
    }
  }
}
