// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarball.
import { embeddedFashionMnistDir, loadIdxImages } from '@selfsup/data';
import { isIdxDirectory } from '@selfsup/data/idx-directory';

const test = await loadIdxImages({ split: 'test' });
if (test.count !== 1000 || test.images.length !== 1000 * 784)
  throw new Error(`embedded subset: unexpected ${test.count} images`);
console.log(`data: embedded Fashion-MNIST test split has ${test.count} images of ${test.height}×${test.width}`);
if (!isIdxDirectory(embeddedFashionMnistDir()))
  throw new Error('@selfsup/data/idx-directory: the embedded subset is not an IDX directory');
