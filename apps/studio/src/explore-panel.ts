import { type LabeledImages, selectImages } from '@selfsup/data';
import { type Encoder, saveModule } from '@selfsup/models';
import {
  type EvaluationRow,
  evaluateEncoder,
  extractFeatures,
  nearestNeighbours,
  type ProportionInterval,
  rawPixelFeatures,
} from '@selfsup/trainer';
import { byId } from './dom.js';
import type { StudioData } from './studio-data.js';
import { thumbnail } from './thumbnail.js';

/** Images shown to click on. */
const GALLERY_SIZE = 40;
const NEIGHBOURS = 8;

/** The pool neighbours are searched in, the clickable queries, and each query's neighbours by both measures. */
interface Index {
  data: StudioData;
  pool: LabeledImages;
  queries: LabeledImages;
  /** Pool indices, most similar first, by query (cosine similarity of learned features and of pixels). */
  neighbours: Promise<{ learned: number[][]; pixels: number[][] }>;
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}

/** A 95 % interval as the table shows it: `[81.9–96.4]`. */
function interval({ lower, upper }: ProportionInterval): string {
  return `[${(100 * lower).toFixed(1)}–${(100 * upper).toFixed(1)}]`;
}

/** Sections 4 and 5: neighbours by learned features and by pixels, the evaluation, and the export. */
export function setUpExplorePanel(probeEpochs: () => number | undefined): {
  /** Shows what `encoder` learned on `data`; the panel owns the encoder from now on. */
  show(data: StudioData, encoder: Encoder, rows: readonly EvaluationRow[] | undefined): void;
} {
  const gallery = byId('gallery');
  const neighbours = byId('neighbours');
  const table = byId<HTMLTableElement>('evaluation');
  const evaluate = byId<HTMLButtonElement>('evaluate');
  let index: Index | undefined;
  let encoder: Encoder | undefined;

  const showRows = (rows: readonly EvaluationRow[]) => {
    table.hidden = rows.length === 0;
    table.tBodies[0]?.replaceChildren(
      ...rows.map((row) => {
        const tr = document.createElement('tr');
        tr.dataset.features = row.features;
        for (const text of [
          row.features,
          `${percent(row.linearProbeAccuracy)} ${interval(row.linearProbeInterval)}`,
          `${percent(row.knnAccuracy)} ${interval(row.knnInterval)} (k=${row.knnK})`,
          String(row.testCount),
        ]) {
          tr.append(Object.assign(document.createElement('td'), { textContent: text }));
        }
        return tr;
      }),
    );
  };
  const neighbourRow = (label: string, found: number[], queryLabel: number | undefined, kind: string) => {
    const row = document.createElement('div');
    row.className = 'row';
    row.dataset.kind = kind;
    const same =
      queryLabel === undefined ? undefined : found.filter((i) => index?.pool.labels[i] === queryLabel).length;
    row.append(
      Object.assign(document.createElement('span'), {
        textContent: same === undefined ? label : `${label}: ${same}/${found.length} same class`,
      }),
    );
    for (const i of found) {
      const canvas = thumbnail(index!.pool, i);
      if (queryLabel !== undefined && index!.pool.labels[i] === queryLabel) canvas.classList.add('same-class');
      canvas.title = index!.data.classes?.[index!.pool.labels[i] as number] ?? `#${i}`;
      row.append(canvas);
    }
    return row;
  };
  const select = async (q: number) => {
    const shown = index;
    if (shown === undefined) return;
    for (const [i, canvas] of [...gallery.children].entries()) canvas.classList.toggle('selected', i === q);
    const { learned, pixels } = await shown.neighbours;
    if (index !== shown) return; // another encoder or data arrived meanwhile
    const label = shown.data.classes === undefined ? undefined : (shown.queries.labels[q] as number);
    neighbours.replaceChildren(
      neighbourRow('learned features', learned[q] ?? [], label, 'learned'),
      neighbourRow('raw pixels', pixels[q] ?? [], label, 'pixels'),
    );
  };
  evaluate.addEventListener('click', () => {
    if (index === undefined || encoder === undefined) return;
    const { train, test, classes } = index.data;
    if (test === undefined || classes === undefined) return;
    evaluate.disabled = true;
    evaluate.textContent = 'evaluating…';
    // The evaluation yields to the event loop as it goes: the page paints and stays responsive.
    const epochs = probeEpochs();
    evaluateEncoder(encoder, {
      train,
      test,
      classes: classes.length,
      seed: 0,
      ...(epochs === undefined ? {} : { probeEpochs: epochs }),
    })
      .then(showRows)
      .catch((error: unknown) => console.error('evaluation failed:', error))
      .finally(() => {
        evaluate.disabled = false;
        evaluate.textContent = 'Evaluate: linear probe and kNN beside the floors';
      });
  });
  byId('export').addEventListener('click', async () => {
    // tfjs's downloads:// hands the user model.json and model.weights.bin.
    if (encoder !== undefined) await saveModule(encoder, 'downloads://model');
  });

  return {
    show(data, next, rows) {
      encoder?.dispose();
      encoder = next;
      const pool = data.train;
      const source = data.test ?? data.train;
      const queries = selectImages(
        source,
        Array.from({ length: Math.min(GALLERY_SIZE, source.count) }, (_, i) => i),
      );
      const learnedPool = extractFeatures(next, pool);
      const learnedQueries = extractFeatures(next, queries);
      const pixelPool = rawPixelFeatures(pool);
      const pixelQueries = rawPixelFeatures(queries);
      // The tensor work is done when the promises are returned: the features can go at once.
      // Without a test split the queries are the pool's first images: none is its own neighbour.
      const options = { queriesArePoolRows: data.test === undefined };
      const nearest = Promise.all([
        nearestNeighbours(learnedPool, learnedQueries, NEIGHBOURS, options),
        nearestNeighbours(pixelPool, pixelQueries, NEIGHBOURS, options),
      ]).then(([learned, pixels]) => ({ learned, pixels }));
      for (const t of [learnedPool, learnedQueries, pixelPool, pixelQueries]) t.dispose();
      index = { data, pool, queries, neighbours: nearest };
      gallery.replaceChildren(
        ...Array.from({ length: queries.count }, (_, q) => {
          const canvas = thumbnail(queries, q);
          canvas.addEventListener('click', () => void select(q));
          return canvas;
        }),
      );
      neighbours.replaceChildren();
      evaluate.hidden = data.classes === undefined || data.test === undefined;
      showRows(rows ?? []);
    },
  };
}
