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

/** A value for both languages: the same figure, or words of its own in each (a device's name, a decimal comma). */
export type LabelValue = string | number | Label;

/** Both languages of a label, each filled with its own side of the values. */
export function fillLabel(label: Label, values: Record<string, LabelValue> = {}): Label {
  const side = (language: Language) =>
    Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, typeof value === 'object' ? value[language] : value]),
    );
  return { vi: fill(label.vi, side('vi')), en: fill(label.en, side('en')) };
}
