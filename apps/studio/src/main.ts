// The studio page: each section's wiring lives in its own file; this file connects them.
import { setUpBackendChoice } from './backend-choice.js';
import { byId, enableSections } from './dom.js';

enableSections('needs-data', false);
enableSections('needs-encoder', false);
const training = false;
const backend = await setUpBackendChoice(
  (info) => {
    byId('stat-backend').textContent = info.name;
  },
  () => training,
);
document.body.dataset.ready = backend.name;
