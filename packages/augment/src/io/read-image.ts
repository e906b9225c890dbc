import { type Tensor3D, type Tensor4D, tf } from '@selfsup/backend';
import { decodeImage } from '#decode-image';
import { checkReadImageOptions, type DecodedImage, type ImageSource, type ReadImageOptions } from './image-source.js';

export { checkReadImageOptions, type DecodedImage, decodeImage, type ImageSource, type ReadImageOptions };

/**
 * Reads one JPEG, PNG, WebP, GIF, TIFF (Node only) or AVIF image into a float32 tensor in [0, 1],
 * resized and center-cropped (`fit: 'cover'`) or padded (`'contain'`) when `size` is given. In
 * Node it decodes with sharp from a path, URL, `Blob` or bytes; in a browser with the browser's
 * decoders from a `File`/`Blob`, bytes or a URL (a path string throws). See {@link decodeImage}.
 *
 * Shapes: → `[height, width, channels]`.
 *
 * @example
 * const image = await readImage('photos/cat.jpg', { size: [96, 96] }); // Node: [96, 96, 3]
 * const picked = await readImage(input.files[0], { size: [96, 96] }); // browser: a File
 * @throws {ImageReadError} for a missing, empty, corrupt, non-image or unsupported file, e.g.
 * `readImage: /x/a.png is not a readable image (zero-byte file)`.
 */
export async function readImage(source: ImageSource, options: ReadImageOptions = {}): Promise<Tensor3D> {
  return toTensor(await decodeImage(source, options));
}

/** Options of {@link readImages}. */
export interface ReadImagesOptions extends ReadImageOptions {
  /** Output `[height, width]` of every image (required so they stack). */
  size: [number, number];
  /** Images decoded at once (default 8). */
  concurrency?: number;
}

/**
 * Reads several images (paths in Node; `File`s, `Blob`s, bytes or URLs on both platforms) into one
 * batch, in the given order, decoding `concurrency` at a time.
 *
 * Shapes: `sources` of length N → `[N, size[0], size[1], channels]` in [0, 1].
 *
 * @example
 * const batch = await readImages(['a.png', 'b.jpg'], { size: [32, 32] }); // [2, 32, 32, 3]
 * const picked = await readImages([...input.files], { size: [32, 32] }); // in a browser
 * @throws {ImageReadError} for the first unreadable file (nothing is returned then).
 */
export async function readImages(sources: readonly ImageSource[], options: ReadImagesOptions): Promise<Tensor4D> {
  checkReadImageOptions('readImages', options);
  if (options.size === undefined) throw new Error('readImages: size is required so the images stack');
  const concurrency = options.concurrency ?? 8;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new Error(`readImages: concurrency must be a positive integer; got ${concurrency}`);
  }
  const decoded = new Array<DecodedImage>(sources.length);
  let next = 0;
  const worker = async () => {
    while (next < sources.length) {
      const i = next++;
      decoded[i] = await decodeImage(sources[i] as ImageSource, options, 'readImages');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, sources.length) }, worker));
  return stackDecoded(decoded, options.size, options.channels ?? 3);
}

function toTensor(image: DecodedImage): Tensor3D {
  const stacked = stackDecoded([image], [image.height, image.width], image.channels);
  const single = tf.reshape(stacked, [image.height, image.width, image.channels]) as Tensor3D;
  stacked.dispose();
  return single;
}

/** Stacks decoded images of one size into a float32 batch `[N, height, width, channels]` in [0, 1]. */
export function stackDecoded(
  images: readonly DecodedImage[],
  size: readonly [number, number],
  channels: 1 | 3,
): Tensor4D {
  const pixels = size[0] * size[1] * channels;
  const values = new Float32Array(images.length * pixels);
  images.forEach((image, i) => {
    const offset = i * pixels;
    for (let p = 0; p < pixels; p++) values[offset + p] = (image.data[p] as number) / 255;
  });
  return tf.tensor4d(values, [images.length, size[0], size[1], channels], 'float32');
}
