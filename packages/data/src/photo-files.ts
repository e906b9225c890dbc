export { photoFiles } from '#photo-files';
export {
  DEBIAN_PHOTOGRAPHS_INSTALL,
  LOMIRI_PHOTOGRAPHS,
  MATE_PHOTO_DIR,
  PLASMA_PHOTOGRAPHS,
} from './debian-photographs.js';
