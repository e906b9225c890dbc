import { arrowOfTimeTask } from './tasks/arrow-of-time/arrow-of-time-task.js';
import { clipOrderTask } from './tasks/clip-order/clip-order-task.js';
import { missingFrameTask } from './tasks/missing-frame/missing-frame-task.js';
import { oddOneOutTask } from './tasks/odd-one-out/odd-one-out-task.js';
import { orderPredictionTask } from './tasks/order-prediction/order-prediction-task.js';
import { shuffleAndLearnTask } from './tasks/shuffle-and-learn/shuffle-and-learn-task.js';

/**
 * The video package's tasks by registry id: the one public way to reach a task
 * (`videoTasks['clip-order']({ clips: 3 })`), and what registries (`createTaskRegistry(videoTasks)`),
 * `selfsup list tasks`, the generated task reference and the tests enumerate. Adding a task: one
 * folder, one line here — no export, no docs table (docs/adding-a-task.md).
 */
export const videoTasks = {
  'shuffle-and-learn': shuffleAndLearnTask,
  'order-prediction': orderPredictionTask,
  'clip-order': clipOrderTask,
  'odd-one-out': oddOneOutTask,
  'arrow-of-time': arrowOfTimeTask,
  'missing-frame': missingFrameTask,
} as const;
