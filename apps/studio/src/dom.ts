/** The element with `id` (the page is static HTML: a missing id is a bug in index.html). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`studio: index.html has no #${id}`);
  return element as T;
}

/** Fills a `<select>` with options (value = label), keeping `selected` when it is one of them. */
export function setOptions(select: HTMLSelectElement, values: readonly string[], selected?: string): void {
  select.replaceChildren(...values.map((value) => new Option(value, value, false, value === selected)));
}

/** Enables or greys out the sections that need something not there yet. */
export function enableSections(className: string, enabled: boolean): void {
  for (const section of document.querySelectorAll(`section.${className}`)) {
    section.classList.toggle('disabled', !enabled);
  }
}
