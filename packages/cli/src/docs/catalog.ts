import { BACKEND_REQUEST_DESCRIPTIONS, BACKEND_REQUESTS } from '@selfsup/backend/requests';
import { jsonSchemaOf, optionRows } from '@selfsup/pretext/option-schemas';
import { configShape } from '../config/config-shape.js';
import type { Registries } from '../registries/registries.js';
import { describeEntries, describeTasks, type EntryInfo, type TaskOptionDocs } from './describe-options.js';

/** What `selfsup list` shows and the reference documents: every id a config can name. */
export interface Catalog {
  tasks: EntryInfo[];
  methods: EntryInfo[];
  losses: EntryInfo[];
  augmentations: EntryInfo[];
  models: EntryInfo[];
  optimizers: EntryInfo[];
  schedules: EntryInfo[];
  backends: EntryInfo[];
}

/** The sections of a catalog, in the order they are listed. */
export const CATALOG_SECTIONS = [
  'tasks',
  'methods',
  'losses',
  'augmentations',
  'models',
  'optimizers',
  'schedules',
  'backends',
] as const satisfies ReadonlyArray<keyof Catalog>;

function variants(field: 'optimizer' | 'schedule', descriptions: Record<string, string>): EntryInfo[] {
  const schema = jsonSchemaOf(configShape)?.properties?.[field];
  const union = (schema?.oneOf ?? schema?.anyOf ?? []) as Array<NonNullable<Parameters<typeof optionRows>[0]>>;
  return union.map((variant) => {
    const id = String(variant.properties?.kind?.const);
    return {
      id,
      description: descriptions[id] ?? '',
      options: optionRows(variant).filter((row) => row.name !== 'kind'),
    };
  });
}

/**
 * Every task, method, loss, augmentation, model, optimizer, schedule and backend, with options
 * and defaults — read from the registries (plugins included) and the config schema.
 *
 * @param available the backends installed here (`installedBackends()`); marks the others.
 * @param taskOptionDocs the meaning and type of each task option, from the tasks' sources (`readTaskOptionDocs`).
 */
export function createCatalog(
  registries: Registries,
  available?: readonly string[],
  taskOptionDocs?: TaskOptionDocs,
): Catalog {
  return {
    tasks: describeTasks(registries.tasks, taskOptionDocs),
    methods: describeEntries(registries.methods, (entry) =>
      entry.takesLoss
        ? `${entry.views} views; takes the config's loss`
        : entry.multiCrop
          ? `multi-crop: ${entry.views} global views, then any number of local ones`
          : `${entry.views} views`,
    ),
    losses: describeEntries(registries.losses),
    augmentations: describeEntries(registries.augmentations, (entry) =>
      entry.produces === 'views' ? 'view maker (several views per call)' : undefined,
    ),
    models: describeEntries(registries.models),
    optimizers: variants('optimizer', {
      adam: 'Adam (Kingma & Ba 2015), L2 weight decay',
      adamw: 'AdamW: decoupled weight decay (Loshchilov & Hutter 2019)',
      sgd: 'SGD with momentum (Nesterov optional)',
      lars: 'LARS, SimCLR’s large-batch optimizer (You et al. 2017)',
    }),
    schedules: variants('schedule', {
      'warmup-cosine': 'linear warmup, then cosine decay to finalFraction × learningRate',
      constant: 'the same rate throughout',
      step: 'multiplied by gamma after each milestone epoch',
    }),
    backends: BACKEND_REQUESTS.map((id) => ({
      id,
      description:
        available === undefined || id === 'auto' || id === 'tensorflow' || available.includes(id)
          ? (BACKEND_REQUEST_DESCRIPTIONS[id] ?? '')
          : `${BACKEND_REQUEST_DESCRIPTIONS[id] ?? ''} — not installed here`,
      options: [],
    })),
  };
}
