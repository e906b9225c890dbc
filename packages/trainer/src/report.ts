import { joinPath } from '#path';
import { writeTextFileAtomically } from '#run-storage';
import type { StepRecord } from './checkpoint.js';
import type { EvaluationRow } from './evaluation/evaluate-encoder.js';
import { floorMargins } from './evaluation/floor-margins.js';
import { floorSeparationWarnings } from './evaluation/floor-separation.js';
import type { ProportionInterval } from './evaluation/wilson-interval.js';

export interface ReportContents {
  title: string;
  /** Per-step records: the loss and learning-rate curves. */
  history: StepRecord[];
  /** Evaluation rows (the pretrained encoder beside its floors). */
  evaluation?: EvaluationRow[];
  /** File name (relative to the report) of an augmentation preview PNG. */
  previewImage?: string;
  /** Key figures shown under the title (backend, images/s, wall time, …). */
  summary?: Record<string, string | number>;
  /** The resolved run configuration. */
  config?: unknown;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** A line chart as inline SVG: y against step, with min/max labels. */
export function lineChartSvg(
  points: Array<[number, number]>,
  options: { label: string; color: string; width?: number; height?: number },
): string {
  const width = options.width ?? 560;
  const height = options.height ?? 220;
  const pad = { left: 56, right: 12, top: 22, bottom: 28 };
  const finite = points.filter(([, y]) => Number.isFinite(y));
  if (finite.length === 0)
    return `<svg width="${width}" height="${height}"><text x="10" y="20">${escapeHtml(options.label)}: no data</text></svg>`;
  const xs = finite.map(([x]) => x);
  const ys = finite.map(([, y]) => y);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  let [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  if (yMin === yMax) [yMin, yMax] = [yMin - 1, yMax + 1];
  const sx = (x: number) => pad.left + ((x - xMin) / Math.max(1e-12, xMax - xMin)) * (width - pad.left - pad.right);
  const sy = (y: number) => pad.top + (1 - (y - yMin) / (yMax - yMin)) * (height - pad.top - pad.bottom);
  const path = finite.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
  const fmt = (v: number) => (Math.abs(v) >= 1e-2 && Math.abs(v) < 1e4 ? v.toFixed(3) : v.toExponential(2));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(options.label)}">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${pad.left}" y="15" font-size="13" font-family="sans-serif">${escapeHtml(options.label)}</text>`,
    `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" stroke="#999"/>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" stroke="#999"/>`,
    `<text x="${pad.left - 4}" y="${pad.top + 4}" font-size="11" text-anchor="end" font-family="sans-serif">${fmt(yMax)}</text>`,
    `<text x="${pad.left - 4}" y="${height - pad.bottom}" font-size="11" text-anchor="end" font-family="sans-serif">${fmt(yMin)}</text>`,
    `<text x="${pad.left}" y="${height - 8}" font-size="11" font-family="sans-serif">step ${xMin}</text>`,
    `<text x="${width - pad.right}" y="${height - 8}" font-size="11" text-anchor="end" font-family="sans-serif">step ${xMax}</text>`,
    `<path d="${path}" fill="none" stroke="${options.color}" stroke-width="1.5"/>`,
    '</svg>',
  ].join('');
}

const percent = (value: number) => `${(100 * value).toFixed(2)} %`;
const interval = ({ lower, upper }: ProportionInterval) =>
  `<span class="interval">[${(100 * lower).toFixed(1)}, ${(100 * upper).toFixed(1)}]</span>`;

/** A linear-probe cell: the accuracy (mean ± std over seeds when several ran) and its 95 % interval. */
function probeCell(row: EvaluationRow): string {
  const seeds = row.linearProbeSeedAccuracies.length;
  const spread = seeds > 1 ? ` ± ${(100 * row.linearProbeStd).toFixed(2)} (${seeds} seeds)` : '';
  return `${percent(row.linearProbeAccuracy)}${spread} ${interval(row.linearProbeInterval)}`;
}

/**
 * The run report as one self-contained HTML page (a string, on both platforms): summary figures,
 * the loss and learning-rate curves as inline SVG pictures, the augmentation preview, the
 * evaluation table with its floors — each accuracy with its 95 % Wilson interval and the test-set
 * size, the mean ± std over probe seeds when several ran — and the pretrained encoder's margin over
 * each floor per protocol (`linear probe: +2.0 points over raw pixels`), a warning when the test
 * split cannot separate the encoder from a floor, and the run configuration.
 *
 * @example
 * const html = reportHtml({ title: 'SimCLR', history: run.history, evaluation });
 */
export function reportHtml(contents: ReportContents): string {
  const loss = lineChartSvg(
    contents.history.map((r) => [r.step, r.loss]),
    { label: 'training loss', color: '#c0392b' },
  );
  const learningRate = lineChartSvg(
    contents.history.map((r) => [r.step, r.learningRate]),
    { label: 'learning rate', color: '#2471a3' },
  );
  const summary = Object.entries(contents.summary ?? {})
    .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(String(value))}</td></tr>`)
    .join('');
  const rows = contents.evaluation ?? [];
  const evaluation = rows
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.features)}</td><td>${row.dimension}</td><td>${row.testCount}</td><td>${probeCell(row)}</td>` +
        `<td>${percent(row.linearProbeTrainAccuracy)}</td><td>${percent(row.knnAccuracy)} ${interval(row.knnInterval)}</td><td>${row.knnK}</td><td>${row.seconds.toFixed(1)}</td></tr>`,
    )
    .join('');
  const separation = floorSeparationWarnings(rows)
    .map((warning) => `<li>${escapeHtml(warning)}</li>`)
    .join('');
  const margins = floorMargins(contents.evaluation ?? []);
  const marginList = (['linear probe', 'kNN'] as const)
    .map((protocol) => {
      const texts = margins.filter((margin) => margin.protocol === protocol).map((margin) => escapeHtml(margin.text));
      return texts.length === 0 ? '' : `<li>${protocol}: ${texts.join('; ')}</li>`;
    })
    .join('');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(contents.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}th{background:#f4f4f4}.charts svg{margin-right:1em;border:1px solid #eee}
pre{background:#f8f8f8;padding:1em;overflow:auto}</style></head>
<body>
<h1>${escapeHtml(contents.title)}</h1>
<table>${summary}</table>
<h2>Training</h2>
<div class="charts">${loss}${learningRate}</div>
${contents.previewImage === undefined ? '' : `<h2>Augmentations</h2><p>Each row: an input, then augmented views.</p><img src="${escapeHtml(contents.previewImage)}" alt="augmentation preview">`}
${
  evaluation === ''
    ? ''
    : `<h2>Evaluation</h2><p>Frozen features of held-out test examples, the same split for every row. <em>random-init</em> (the same encoder untrained) and the raw inputs (<em>raw-pixels</em>, <em>bag-of-words</em>) are the floors the pretrained encoder must beat. In brackets: the 95 % Wilson score interval of each test accuracy on its test examples.</p>
<table><tr><th>features</th><th>dimension</th><th>test examples</th><th>linear probe (test)</th><th>linear probe (train)</th><th>kNN (test)</th><th>k</th><th>seconds</th></tr>${evaluation}</table>
${marginList === '' ? '' : `<p>The pretrained encoder against each floor (test accuracy, percentage points):</p><ul class="margins">${marginList}</ul>`}
${separation === '' ? '' : `<p><strong>Warning:</strong> the test split is too small to tell the encoder from its floors:</p><ul class="separation">${separation}</ul>`}`
}
<h2>Configuration</h2>
<pre>${escapeHtml(JSON.stringify(contents.config ?? {}, null, 2))}</pre>
</body></html>
`;
  return html;
}

/**
 * The report ({@link reportHtml}) as a `text/html` Blob: in a page, open it
 * (`URL.createObjectURL`) or offer it as a download.
 *
 * @example
 * const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(reportBlob(contents)), download: 'report.html' });
 */
export function reportBlob(contents: ReportContents): Blob {
  return new Blob([reportHtml(contents)], { type: 'text/html;charset=utf-8' });
}

/**
 * Writes the report ({@link reportHtml}) as `report.html` into `dir`, atomically, and returns its
 * path: in Node a file; in a browser a record of the page's IndexedDB (database `selfsup`, store
 * `files`); {@link reportHtml} and {@link reportBlob} give the page itself the report.
 */
export async function writeReport(dir: string, contents: ReportContents): Promise<string> {
  const path = joinPath(dir, 'report.html');
  await writeTextFileAtomically(path, reportHtml(contents));
  return path;
}
