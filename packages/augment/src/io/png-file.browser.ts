/** Encodes 8-bit pixels `[height, width, channels]` as a PNG (`OffscreenCanvas.convertToBlob`, RGBA). */
export async function pngBlob(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Blob> {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let k = 0; k < 3; k++) rgba[4 * p + k] = pixels[channels * p + (channels === 1 ? 0 : k)] as number;
    rgba[4 * p + 3] = 255;
  }
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('encodePng: this browser gives no 2D OffscreenCanvas context');
  context.putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** Writing a file has no browser meaning: the error names the function and the alternative. */
export async function writePngFile(path: string, _png: Blob, op: string): Promise<void> {
  const alternative =
    op === 'augmentationPreview'
      ? 'leave out `out` and use the returned `png` Blob'
      : 'use encodePng(image) for a PNG Blob (download it, or show it with URL.createObjectURL)';
  throw new Error(`${op}: writing a file (${path}) is Node-only; in a browser ${alternative}`);
}
