import {
  FASHION_MNIST_CLASSES,
  type LabeledImages,
  loadIdxImages,
  readLabeledImages,
  readUnlabeledImages,
  type SkippedFile,
  selectImages,
  trainTestSplit,
} from '@selfsup/data';

/** The images the page works on: what it trains on, evaluates with, and shows. */
export interface StudioData {
  /** In words, for the summary and the run's record. */
  description: string;
  /** Identifies the data: a resume on other data is refused. */
  fingerprint: string;
  /** Images pretraining sees (`[count, H, W, C]` bytes; labels when `classes` is set). */
  train: LabeledImages;
  /** Held-out labeled images for the probe and kNN, and the queries of the explorer. */
  test: LabeledImages | undefined;
  /** Class names by label, when the data has labels. */
  classes: string[] | undefined;
  /** Files left out, and why. */
  skipped: SkippedFile[];
}

/** Size dropped images are read at (the encoder's input). */
export const FOLDER_IMAGE_SIZE: [number, number] = [32, 32];
/** Share of a labeled folder held out for the evaluation (as `selfsup eval` does without test labels). */
const TEST_FRACTION = 0.2;

/** The embedded Fashion-MNIST subset: 6000 training and 1000 test images, 28×28 grayscale, 10 classes. */
export async function embeddedFashionMnist(): Promise<StudioData> {
  const [train, test] = await Promise.all([loadIdxImages({ split: 'train' }), loadIdxImages({ split: 'test' })]);
  return {
    description: `embedded Fashion-MNIST subset: ${train.count} training and ${test.count} test images of ${train.height}×${train.width}`,
    fingerprint: `fashion-mnist-subset:${train.count}+${test.count}`,
    train,
    test,
    classes: [...FASHION_MNIST_CLASSES],
    skipped: [],
  };
}

/** A cheap identity of the picked files: names, sizes and dates. */
function filesFingerprint(files: readonly File[]): string {
  let hash = 2166136261;
  for (const file of files) {
    for (const char of `${file.webkitRelativePath || file.name}:${file.size}:${file.lastModified};`) {
      hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    }
  }
  return `files:${files.length}:${hash.toString(16)}`;
}

/**
 * A picked or dropped folder with one sub-folder per class, read at {@link FOLDER_IMAGE_SIZE} RGB;
 * a seeded 20 % of it is held out for the evaluation.
 */
export async function labeledFolder(files: readonly File[], seed: number): Promise<StudioData> {
  const set = await readLabeledImages(files, { size: FOLDER_IMAGE_SIZE, channels: 3 });
  const all = set.images;
  const parts = trainTestSplit(all.count, { testFraction: TEST_FRACTION, seed });
  const train = selectImages(all, parts.train);
  const test = selectImages(all, parts.test);
  const folder = files[0]?.webkitRelativePath.split('/')[0] ?? 'picked files';
  return {
    description: `${folder}: ${all.count} images of ${set.classes.length} classes at ${FOLDER_IMAGE_SIZE.join('×')} (${train.count} to train, a seeded ${test.count} held out)`,
    fingerprint: filesFingerprint(files),
    train,
    test,
    classes: set.classes,
    skipped: set.skipped,
  };
}

/** Whether picked files sit in at least two sub-folders of the folder picked (class folders: labels). */
export function hasClassFolders(files: readonly File[]): boolean {
  const classes = files.map((file) => file.webkitRelativePath.split('/')).filter((parts) => parts.length >= 3);
  return new Set(classes.map((parts) => parts[1])).size >= 2;
}

/**
 * A picked or dropped folder without class sub-folders, read at {@link FOLDER_IMAGE_SIZE} RGB:
 * images to pretrain on and explore, no labels (so no evaluation).
 */
export async function unlabeledFolder(files: readonly File[]): Promise<StudioData> {
  const { images, skipped } = await readUnlabeledImages(files, { size: FOLDER_IMAGE_SIZE, channels: 3 });
  const folder = files[0]?.webkitRelativePath.split('/')[0] || 'picked files';
  return {
    description: `${folder}: ${images.count} images without labels at ${FOLDER_IMAGE_SIZE.join('×')}`,
    fingerprint: filesFingerprint(files),
    // Label 0 throughout: the batches and the explorer take labeled images.
    train: { ...images, labels: new Uint8Array(images.count) },
    test: undefined,
    classes: undefined,
    skipped,
  };
}
