import { colorizationTask } from './colorization/colorization-task.js';
import { denoisingTask } from './denoising/denoising-task.js';
import { inpaintingTask } from './inpainting/inpainting-task.js';
import { jigsawTask } from './jigsaw/jigsaw-task.js';
import { maeTask } from './mae/mae-task.js';
import { relativeLocationTask } from './relative-location/relative-location-task.js';
import { rotationTask } from './rotation/rotation-task.js';

/**
 * The vision package's tasks by registry id: the one public way to reach a task
 * (`visionTasks.rotation({ rotations: 4 })`), and what registries (`createTaskRegistry(visionTasks)`),
 * `selfsup list tasks`, the generated task reference and the tests enumerate. Adding a task: one
 * folder, one line here — no export, no docs table (docs/adding-a-task.md).
 */
export const visionTasks = {
  rotation: rotationTask,
  jigsaw: jigsawTask,
  'relative-location': relativeLocationTask,
  colorization: colorizationTask,
  inpainting: inpaintingTask,
  denoising: denoisingTask,
  mae: maeTask,
} as const;
