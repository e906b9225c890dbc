import { type BackendRequest, tf } from '@selfsup/backend';
import { type Encoder, loadEncoder } from '@selfsup/models';
import {
  type ExperimentResult,
  latestCheckpoint,
  lineChartSvg,
  loadCheckpoint,
  readRunRecord,
  runExperiment,
  runPaths,
  type StepRecord,
  type TrainingProgress,
} from '@selfsup/trainer';
import { byId, setOptions } from './dom.js';
import { STUDIO_RUNS, setUpRunsPanel } from './runs-panel.js';
import type { StudioData } from './studio-data.js';
import { type StudioSettings, studioExperiment, studioMethods } from './studio-experiment.js';

/** The page's current run directory (in IndexedDB), kept across reloads. */
const RUN_KEY = 'selfsup-studio-run';

/** What section 3 needs from the others. */
export interface TrainPanelHooks {
  data(): StudioData | undefined;
  augmentation(): string;
  backend(): BackendRequest;
  /** The method picked changed (its default augmentation may differ). */
  onMethod(method: string): void;
  onBusy(busy: boolean): void;
  /** A run finished: its encoder (the caller owns it) and, when trained in this page, its result. */
  onFinished(encoder: Encoder, result: ExperimentResult | undefined): void;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Section 3: pretraining with a live loss chart, stop, resume after a reload, and the runs stored in the page. */
export function setUpTrainPanel(hooks: TrainPanelHooks): {
  method(): string;
  /** Finds the page's last run: fills the form and the chart from its newest checkpoint; its settings. */
  restore(): Promise<Partial<StudioSettings> | undefined>;
  /** Data was loaded: a finished run's encoder can be explored on it. */
  dataChanged(): Promise<void>;
} {
  const method = byId<HTMLSelectElement>('method');
  const inputs = {
    epochs: byId<HTMLInputElement>('epochs'),
    batchSize: byId<HTMLInputElement>('batch-size'),
    learningRate: byId<HTMLInputElement>('learning-rate'),
    maxSteps: byId<HTMLInputElement>('max-steps'),
    probeEpochs: byId<HTMLInputElement>('probe-epochs'),
    evaluate: byId<HTMLInputElement>('evaluate-after'),
  };
  const [start, resume, stop] = [
    byId<HTMLButtonElement>('start'),
    byId<HTMLButtonElement>('resume'),
    byId<HTMLButtonElement>('stop'),
  ];
  const chart = byId('loss-chart');
  const log = byId('train-log');
  const stats = {
    step: byId('stat-step'),
    loss: byId('stat-loss'),
    speed: byId('stat-speed'),
    eta: byId('stat-eta'),
    backend: byId('stat-backend'),
  };
  setOptions(method, studioMethods(), 'simclr');
  method.addEventListener('change', () => hooks.onMethod(method.value));

  let history: StepRecord[] = [];
  let controller: AbortController | undefined;
  let finishedRun: string | undefined;
  let trainingRun: string | undefined;
  let chartPending = false;
  const say = (line: string) => {
    log.textContent += `${line}\n`;
    log.scrollTop = log.scrollHeight;
  };
  const drawChart = () => {
    chartPending = false;
    chart.innerHTML = lineChartSvg(
      history.map((r) => [r.step, r.loss]),
      { label: 'loss', color: '#c0392b', width: 640, height: 220 },
    );
    chart.dataset.points = String(history.length);
  };
  const scheduleChart = () => {
    if (!chartPending) {
      chartPending = true;
      requestAnimationFrame(drawChart);
    }
  };
  const optionalNumber = (input: HTMLInputElement) => (input.value === '' ? undefined : Number(input.value));
  const settings = (): StudioSettings => ({
    method: method.value,
    augmentation: hooks.augmentation(),
    epochs: Number(inputs.epochs.value),
    batchSize: Number(inputs.batchSize.value),
    learningRate: Number(inputs.learningRate.value),
    seed: 0,
    maxSteps: optionalNumber(inputs.maxSteps),
    evaluate: inputs.evaluate.checked,
    probeEpochs: optionalNumber(inputs.probeEpochs),
  });
  const fillForm = (saved: Partial<StudioSettings>) => {
    if (saved.method !== undefined) method.value = saved.method;
    if (saved.epochs !== undefined) inputs.epochs.value = String(saved.epochs);
    if (saved.batchSize !== undefined) inputs.batchSize.value = String(saved.batchSize);
    if (saved.learningRate !== undefined) inputs.learningRate.value = String(saved.learningRate);
    if (saved.evaluate !== undefined) inputs.evaluate.checked = saved.evaluate;
    inputs.probeEpochs.value = saved.probeEpochs === undefined ? '' : String(saved.probeEpochs);
  };
  const setBusy = (busy: boolean) => {
    start.disabled = busy;
    resume.disabled = busy || localStorage.getItem(RUN_KEY) === null || finishedRun !== undefined;
    stop.disabled = !busy;
    hooks.onBusy(busy);
  };
  const showProgress = (record: StepRecord, progress: TrainingProgress, maxSteps: number | undefined) => {
    const end = Math.min(progress.totalSteps, maxSteps ?? Number.POSITIVE_INFINITY);
    stats.step.textContent = `${progress.step} / ${end}`;
    stats.step.dataset.step = String(progress.step);
    stats.loss.textContent = record.loss.toFixed(4);
    stats.speed.textContent = progress.examplesPerSecond.toFixed(0);
    stats.eta.textContent = formatSeconds(
      ((end - progress.step) * progress.elapsedSeconds) / Math.max(1, progress.step),
    );
  };

  const train = async (resuming: boolean) => {
    const data = hooks.data();
    if (data === undefined) return;
    const dir = resuming ? (localStorage.getItem(RUN_KEY) as string) : `${STUDIO_RUNS}/run-${Date.now()}`;
    localStorage.setItem(RUN_KEY, dir);
    trainingRun = dir;
    finishedRun = undefined;
    const chosen = settings();
    if (!resuming) history = [];
    else history = history.filter((r) => r.step <= (Number(stats.step.dataset.step) || 0));
    drawChart();
    controller = new AbortController();
    setBusy(true);
    stats.backend.textContent = tf.getBackend();
    say(`${resuming ? 'resuming' : 'starting'} ${chosen.method} in ${dir} on ${hooks.backend()}`);
    try {
      const result = await runExperiment(
        { ...studioExperiment(dir, chosen, data, hooks.backend()), resume: resuming },
        {
          log: say,
          quiet: true,
          signal: controller.signal,
          callbacks: [
            {
              onStepEnd(record, progress) {
                history.push(record);
                showProgress(record, progress, chosen.maxSteps);
                scheduleChart();
              },
            },
          ],
        },
      );
      stats.backend.textContent = result.backend;
      if (result.interrupted) {
        say(`stopped at step ${result.steps}: Resume continues from the checkpoint (also after a reload)`);
      } else {
        say(`finished: ${result.steps} steps, ${result.examplesPerSecond.toFixed(0)} images/s`);
        finishedRun = dir;
        hooks.onFinished(await loadEncoder(runPaths(dir).encoder), result);
      }
    } catch (error) {
      say(`failed: ${(error as Error).message}`);
      console.error(error);
    } finally {
      controller = undefined;
      trainingRun = undefined;
      setBusy(false);
      await runs.refresh().catch((error: Error) => say(`could not list the stored runs: ${error.message}`));
      document.body.dataset.training = 'done';
    }
  };
  const runs = setUpRunsPanel({
    training: () => trainingRun,
    say,
    resume: (dir) => {
      localStorage.setItem(RUN_KEY, dir);
      finishedRun = undefined;
      void restore().then(() => {
        if (hooks.data() === undefined) say(`${dir}: pick the same data, then Resume`);
        else void train(true);
      });
    },
    removed: (dir) => {
      if (localStorage.getItem(RUN_KEY) !== dir) return;
      // The page's last run is gone: nothing to resume, and its chart goes with it.
      localStorage.removeItem(RUN_KEY);
      if (finishedRun === dir) finishedRun = undefined;
      history = [];
      drawChart();
      setBusy(false);
    },
  });
  /** Fills the form and the chart from the page's last run's newest checkpoint; its settings. */
  const restore = async (): Promise<Partial<StudioSettings> | undefined> => {
    await runs.refresh();
    const dir = localStorage.getItem(RUN_KEY);
    if (dir === null) {
      setBusy(false);
      return undefined;
    }
    const paths = runPaths(dir);
    const [record, latest] = await Promise.all([readRunRecord(paths.run), latestCheckpoint(paths.checkpoints)]);
    let saved: Partial<StudioSettings> | undefined;
    if (latest !== undefined) {
      const loaded = await loadCheckpoint(latest, {});
      saved = loaded.config as Partial<StudioSettings>;
      tf.dispose([...Object.values(loaded.optimizer.slots), ...Object.values(loaded.objectiveState)]);
      fillForm(saved);
      history = loaded.trainer.history;
      stats.step.textContent = String(loaded.trainer.step);
      stats.step.dataset.step = String(loaded.trainer.step);
      drawChart();
    }
    if (record?.state === 'finished') finishedRun = dir;
    say(
      latest === undefined
        ? `the last run (${dir}) has no checkpoint yet`
        : `${record?.title ?? dir}: step ${history.at(-1)?.step ?? 0}${finishedRun === undefined ? ' — pick the same data, then Resume' : ' (finished)'}`,
    );
    setBusy(false);
    return saved;
  };
  start.addEventListener('click', () => void train(false));
  resume.addEventListener('click', () => void train(true));
  stop.addEventListener('click', () => controller?.abort());

  return {
    method: () => method.value,
    restore,
    async dataChanged() {
      if (finishedRun !== undefined) hooks.onFinished(await loadEncoder(runPaths(finishedRun).encoder), undefined);
    },
  };
}
