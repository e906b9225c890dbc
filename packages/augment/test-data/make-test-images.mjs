#!/usr/bin/env node
// Regenerates the small test images of this folder (our own drawings, no third-party data):
// a color gradient in each format sharp reads, a grayscale PNG, an RGBA PNG, a nested folder,
// and the bad inputs the loaders must reject: a truncated JPEG, a zero-byte file, text named .png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const dir = dirname(fileURLToPath(import.meta.url));
const good = join(dir, 'images');
const nested = join(good, 'nested');
const bad = join(dir, 'bad');
mkdirSync(nested, { recursive: true });
mkdirSync(bad, { recursive: true });

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
const raw = { raw: { width, height, channels: 3 } };
await sharp(rgb, raw).png().toFile(join(good, 'gradient.png'));
await sharp(rgb, raw).jpeg({ quality: 95 }).toFile(join(good, 'gradient.jpg'));
await sharp(rgb, raw).webp({ lossless: true }).toFile(join(good, 'gradient.webp'));
await sharp(rgb, raw).gif().toFile(join(good, 'gradient.gif'));
await sharp(rgb, raw).tiff().toFile(join(good, 'gradient.tiff'));
await sharp(rgb, raw).avif({ lossless: true }).toFile(join(nested, 'gradient.avif'));
await sharp(rgb, raw).grayscale().png().toFile(join(nested, 'gray.png'));
const rgba = Buffer.alloc(8 * 8 * 4, 255);
for (let i = 0; i < 64; i++) rgba[i * 4 + 3] = i < 32 ? 0 : 255; // top half transparent
await sharp(rgba, { raw: { width: 8, height: 8, channels: 4 } }).png().toFile(join(nested, 'alpha.png'));

const jpeg = await sharp(rgb, raw).jpeg().toBuffer();
writeFileSync(join(bad, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
writeFileSync(join(bad, 'empty.png'), new Uint8Array(0));
writeFileSync(join(bad, 'not-an-image.png'), 'this is text, not a PNG\n');
console.log('test images written');
