/** The languages of every user-facing word: Vietnamese first (the default), English beside it. */
export type Language = 'vi' | 'en';

/** One user-facing text in both languages. */
export type Label = Record<Language, string>;

/** A catalogue: keys to labels. Each area's catalogue `satisfies` it, so a missing language fails to compile. */
export type Catalogue = Record<string, Label>;

/** A text with its {placeholders} filled in; an unknown placeholder stays visible rather than vanishing. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Both languages of a label with the same values filled in. */
export function fillLabel(label: Label, values: Record<string, string | number>): Label {
  return { vi: fill(label.vi, values), en: fill(label.en, values) };
}
