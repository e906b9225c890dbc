import { type Augmentation, twoViews, type ViewMaker } from '@selfsup/augment';
import { type AugmentationDeclaration, augmentationDeclarations } from '@selfsup/augment/declarations';
import type { OptionsSchema } from '@selfsup/pretext';
import { validateOptions } from '@selfsup/pretext/option-schemas';

/** An augmentation by id, made for images of one size, with the options it was made with. */
export interface MadeAugmentation {
  id: string;
  options: Record<string, unknown>;
  /** One output per call (an augmentation) or the views of a view maker. */
  made: Augmentation | ViewMaker;
  /** The two views a two-view method trains on. */
  views: ViewMaker;
}

/** `given` checked by a declaration's options schema, its defaults filled in (what its `create` takes). */
export function resolvedOptions(
  declaration: { id: string; options?: OptionsSchema },
  given: Record<string, unknown>,
): Record<string, unknown> {
  if (declaration.options === undefined) return given;
  const checked = validateOptions(declaration.options, given);
  if ('issues' in checked) throw new Error(`${declaration.id}: ${checked.issues.map((i) => i.message).join('; ')}`);
  return checked.value;
}

const declarations = augmentationDeclarations as Record<string, AugmentationDeclaration>;

/** The declared augmentations a two-view method can train with: one output per call, or exactly two views. */
export function twoViewAugmentationIds(): string[] {
  return Object.entries(declarations)
    .filter(([, d]) => d.produces === 'augmentation' || d.viewCount?.(resolvedOptions(d, {})) === 2)
    .map(([id]) => id);
}

/**
 * Makes augmentation `id` with its declared defaults for images `[size, channels]` (a sized one at
 * the images' size), `given` options first (a multi-crop method's crop sizes and counts).
 */
export async function makeAugmentation(
  id: string,
  size: [number, number],
  channels: 1 | 3,
  given: Record<string, unknown> = {},
): Promise<MadeAugmentation> {
  const declaration = declarations[id];
  if (declaration === undefined)
    throw new Error(`'${id}' is not an augmentation; known: ${Object.keys(declarations).join(', ')}`);
  const options = resolvedOptions(declaration, declaration.sized ? { size, ...given } : given);
  const made = await declaration.create(options, { size, channels });
  const views = declaration.produces === 'views' ? (made as ViewMaker) : twoViews(made as Augmentation);
  return { id, options, made, views };
}
