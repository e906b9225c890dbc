import { colorizationTask } from './colorization/colorization-task.js';
import { denoisingTask } from './denoising/denoising-task.js';
import { inpaintingTask } from './inpainting/inpainting-task.js';
import { jigsawTask } from './jigsaw/jigsaw-task.js';
import { maeTask } from './mae/mae-task.js';
import { relativeLocationTask } from './relative-location/relative-location-task.js';
import { rotationTask } from './rotation/rotation-task.js';

/** The vision package's tasks by registry id. Adding a task: one folder, one line here. */
export const visionTasks = {
  rotation: rotationTask,
  jigsaw: jigsawTask,
  'relative-location': relativeLocationTask,
  colorization: colorizationTask,
  inpainting: inpaintingTask,
  denoising: denoisingTask,
  mae: maeTask,
} as const;
