// Regenerates the small test images of this folder — our own drawings, no third-party data:
//   npx tsx test-data/make-test-images.ts
// images/: a 24×16 color gradient in every format the loaders read (PNG, JPEG, WebP, GIF, TIFF,
// AVIF), a grayscale PNG and an RGBA PNG, some in a nested folder. special/: a 16-bit PNG, a JPEG
// with EXIF orientation 6 and a 2-frame animated GIF. bad/: what the loaders must reject with a
// reason: a zero-byte file, text named .png, a JPEG cut inside its header, a BMP (a real image
// format sharp does not read) and an SVG (sharp reads it, selfsup does not accept it); corrupt/:
// a PNG cut inside its pixel data. (@selfsup/data's folder tests count the files of images/ and
// bad/: 8 images and 3 unreadable files with image extensions — keep those counts.)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const dir = dirname(fileURLToPath(import.meta.url));
const good = join(dir, 'images');
const nested = join(good, 'nested');
const special = join(dir, 'special');
const bad = join(dir, 'bad');
const corrupt = join(dir, 'corrupt');
for (const folder of [good, special, bad, corrupt]) rmSync(folder, { recursive: true, force: true });
for (const folder of [nested, special, bad, corrupt]) mkdirSync(folder, { recursive: true });

const width = 24;
const height = 16;
const rgb = Buffer.alloc(width * height * 3);
for (let y = 0; y < height; y++) {
  for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 3;
    rgb[i] = Math.round((255 * x) / (width - 1)); // red grows left → right
    rgb[i + 1] = Math.round((255 * y) / (height - 1)); // green grows top → bottom
    rgb[i + 2] = x < width / 2 ? 200 : 40; // blue: left half bright
  }
}
const raw = { raw: { width, height, channels: 3 as const } };
await sharp(rgb, raw).png().toFile(join(good, 'gradient.png'));
await sharp(rgb, raw).jpeg({ quality: 95 }).toFile(join(good, 'gradient.jpg'));
await sharp(rgb, raw).webp({ lossless: true }).toFile(join(good, 'gradient.webp'));
await sharp(rgb, raw).gif().toFile(join(good, 'gradient.gif'));
await sharp(rgb, raw).tiff().toFile(join(good, 'gradient.tiff'));
await sharp(rgb, raw).avif({ lossless: true }).toFile(join(nested, 'gradient.avif'));
await sharp(rgb, raw).grayscale().png().toFile(join(nested, 'gray.png'));
// Stored rotated by 90° counter-clockwise with EXIF orientation 6 ("rotate 90° clockwise to
// display"): decoders that honour EXIF show the upright 24×16 gradient.
await sharp(rgb, raw).rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(join(special, 'rotated.jpg'));

const rgba = Buffer.alloc(8 * 8 * 4, 255);
for (let i = 0; i < 64; i++) rgba[i * 4 + 3] = i < 32 ? 0 : 255; // top half transparent white
await sharp(rgba, { raw: { width: 8, height: 8, channels: 4 } }).png().toFile(join(nested, 'alpha.png'));

// 16 bits per channel: a horizontal ramp 0 → 65535.
const deep = new Uint16Array(8 * 4 * 3);
for (let i = 0; i < deep.length; i++) deep[i] = Math.round((65535 * (Math.floor(i / 3) % 8)) / 7);
await sharp(deep, { raw: { width: 8, height: 4, channels: 3 } })
  .toColourspace('rgb16')
  .png()
  .toFile(join(special, 'deep16.png'));

// Two 8×8 frames: red, then blue; readers take the first.
const frames = Buffer.alloc(8 * 16 * 4);
for (let i = 0; i < 128; i++) frames.set(i < 64 ? [255, 0, 0, 255] : [0, 0, 255, 255], i * 4);
await sharp(frames, { raw: { width: 8, height: 16, channels: 4, pageHeight: 8 } })
  .gif({ loop: 0, delay: [100, 100] })
  .toFile(join(special, 'animated.gif'));

const jpeg = await sharp(rgb, raw).jpeg().toBuffer();
writeFileSync(join(bad, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
const noise = Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 2654435761) >>> 24));
const png = await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
writeFileSync(join(corrupt, 'truncated.png'), png.subarray(0, Math.floor(png.length * 0.6)));
writeFileSync(join(bad, 'empty.png'), new Uint8Array(0));
writeFileSync(join(bad, 'not-an-image.png'), 'this is text, not a PNG\n');
writeFileSync(join(bad, 'vector.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="red"/></svg>\n');

// A 2×2 24-bit BMP: 14-byte file header, 40-byte info header, rows bottom-up padded to 4 bytes.
const bmp = Buffer.alloc(14 + 40 + 2 * 8);
bmp.write('BM', 0, 'latin1');
bmp.writeUInt32LE(bmp.length, 2);
bmp.writeUInt32LE(54, 10);
bmp.writeUInt32LE(40, 14);
bmp.writeInt32LE(2, 18);
bmp.writeInt32LE(2, 22);
bmp.writeUInt16LE(1, 26);
bmp.writeUInt16LE(24, 28);
bmp.writeUInt32LE(16, 34);
bmp.fill(0x80, 54);
writeFileSync(join(bad, 'image.bmp'), bmp);
console.log('test images written to', dir);
