/** The configuration as the console lists and edits it (pure). */
/** Every leaf of the config as path → value, in order (arrays and empty objects are one leaf). Pure. */
export function configLeaves(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0)
    return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    configLeaves(child, prefix ? `${prefix}.${key}` : key),
  );
}

/** A typed value back into JSON of the leaf's kind: numbers stay numbers, true/false booleans, lists JSON. */
export function parseLeaf(text: string, previous: unknown): unknown {
  if (typeof previous === 'number') return text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text);
  if (typeof previous === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (typeof previous === 'object' && previous !== null) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
