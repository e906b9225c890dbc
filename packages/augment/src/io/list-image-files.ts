export { listImageFiles } from '#list-image-files';
export { IMAGE_EXTENSIONS, type ListImageFilesOptions } from './directory-listing.js';
