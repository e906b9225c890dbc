export { isIdxDirectory } from '#idx-files';
