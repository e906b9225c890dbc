#!/usr/bin/env node
// Regenerates datasets/fashion-mnist-subset/ from the full Fashion-MNIST IDX files (Debian's
// dataset-fashion-mnist puts them under /usr/share/datasets/fashion-mnist/): the first 600
// training and the first 100 test images of each class, in file order, as gzipped IDX files.
// Usage: node scripts/make-fashion-mnist-subset.mjs [sourceDir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const source = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'datasets', 'fashion-mnist-subset');
mkdirSync(target, { recursive: true });

function readIdx(path) {
  const bytes = gunzipSync(readFileSync(path));
  const rank = bytes[3];
  const dims = Array.from({ length: rank }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  return { dims, data: bytes.subarray(4 + 4 * rank) };
}

function writeIdx(path, dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((dim, i) => {
    header.writeUInt32BE(dim, 4 + 4 * i);
  });
  // mtime 0 in the gzip header keeps the output byte-identical across runs.
  writeFileSync(path, gzipSync(Buffer.concat([header, data]), { level: 9 }));
}

for (const [split, perClass] of [
  ['train', 600],
  ['t10k', 100],
]) {
  const images = readIdx(join(source, `${split}-images-idx3-ubyte.gz`));
  const labels = readIdx(join(source, `${split}-labels-idx1-ubyte.gz`));
  const [, rows, cols] = images.dims;
  const pixels = rows * cols;
  const counts = new Array(10).fill(0);
  const picked = [];
  for (let i = 0; i < labels.dims[0] && picked.length < perClass * 10; i++) {
    const label = labels.data[i];
    if (counts[label] < perClass) {
      counts[label]++;
      picked.push(i);
    }
  }
  const imageData = Buffer.alloc(picked.length * pixels);
  const labelData = Buffer.alloc(picked.length);
  picked.forEach((index, k) => {
    images.data.copy(imageData, k * pixels, index * pixels, (index + 1) * pixels);
    labelData[k] = labels.data[index];
  });
  writeIdx(join(target, `${split}-images-idx3-ubyte.gz`), [picked.length, rows, cols], imageData);
  writeIdx(join(target, `${split}-labels-idx1-ubyte.gz`), [picked.length], labelData);
  console.log(`${split}: ${picked.length} images (${perClass} per class)`);
}
