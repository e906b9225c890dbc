// Usage: tsx make-fixture-cli.ts <dir> <perClass> [labeled] [rgb] [corrupt]  — for manual checks.
import { makeImageFolder } from './make-image-folder.js';

const [dir, perClass, ...flags] = process.argv.slice(2);
const files = await makeImageFolder(dir as string, {
  perClass: Number(perClass),
  labeled: flags.includes('labeled'),
  channels: flags.includes('rgb') ? 3 : 1,
  corrupt: flags.includes('corrupt'),
});
console.log(`${files.length} images in ${dir}`);
