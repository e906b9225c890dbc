// The studio page: each section's wiring lives in its own file; this file connects them.
import type { BackendRequest } from '@selfsup/backend';
import { setUpAugmentPanel } from './augment-panel.js';
import { setUpBackendChoice } from './backend-choice.js';
import { setUpDataPanel } from './data-panel.js';
import { byId, enableSections } from './dom.js';
import { setUpExplorePanel } from './explore-panel.js';
import type { StudioData } from './studio-data.js';
import { defaultAugmentation } from './studio-experiment.js';
import { setUpTrainPanel } from './train-panel.js';

/** What the sections share. */
const state: { data: StudioData | undefined; training: boolean; augmentation: string | undefined } = {
  data: undefined,
  training: false,
  augmentation: undefined,
};
const channelsOf = (data: StudioData) => (data.train.channels ?? 1) as 1 | 3;

enableSections('needs-data', false);
enableSections('needs-encoder', false);
const augment = setUpAugmentPanel();
const explore = setUpExplorePanel(() => {
  const value = byId<HTMLInputElement>('probe-epochs').value;
  return value === '' ? undefined : Number(value);
});
const train = setUpTrainPanel({
  data: () => state.data,
  augmentation: () => augment.preset(),
  backend: () => byId<HTMLSelectElement>('backend').value as BackendRequest,
  onMethod(method) {
    if (state.data !== undefined) void augment.show(state.data, defaultAugmentation(method, channelsOf(state.data)));
  },
  onBusy(busy) {
    state.training = busy;
    byId<HTMLSelectElement>('backend').disabled = busy;
    for (const id of ['embedded', 'folder']) byId<HTMLInputElement>(id).disabled = busy;
  },
  onFinished(encoder, result) {
    if (state.data === undefined) return encoder.dispose();
    enableSections('needs-encoder', true);
    explore.show(state.data, encoder, result?.evaluation);
  },
});
setUpDataPanel(
  () => 0,
  (data) => {
    state.data = data;
    enableSections('needs-data', true);
    void augment.show(data, state.augmentation ?? defaultAugmentation(train.method(), channelsOf(data)));
    void train.dataChanged();
  },
);
const backend = await setUpBackendChoice(
  (info) => {
    byId('stat-backend').textContent = info.name;
  },
  () => state.training,
);
try {
  state.augmentation = (await train.restore())?.augmentation;
} catch (error) {
  byId('train-log').textContent = `could not read the last run: ${(error as Error).message}\n`;
}
document.body.dataset.ready = backend.name;
