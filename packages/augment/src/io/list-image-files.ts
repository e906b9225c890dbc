export { listImageFiles } from '#list-image-files';
export { IMAGE_EXTENSIONS, type ListImageFilesOptions } from './directory-listing.js';
export { type ImageSource, sourceName as imageSourceName } from './image-source.js';
