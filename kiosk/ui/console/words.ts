import { fill, type Language } from '../../messages/label.js';
import { type ConsoleMessageKey, consoleMessages, type MessageKey, messages } from '../../messages/pages.js';

/** A sentence of either catalogue: the console's own words, and those it shares with the touchscreen. */
export type Key = MessageKey | ConsoleMessageKey;

export function say(key: Key, language: Language, values?: Record<string, string | number>): string {
  const entry =
    (consoleMessages as Record<string, Record<Language, string>>)[key] ??
    (messages as Record<string, Record<Language, string>>)[key];
  const text = entry?.[language] ?? key;
  return values ? fill(text, values) : text;
}

/** Whether the catalogue has a sentence for a key built from data (an action, a state). */
export function known(key: string): key is Key {
  return key in consoleMessages || key in messages;
}
