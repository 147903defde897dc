import { useContext } from 'preact/hooks';
import { LanguageContext } from '../shared/html.js';
import type { Language } from '../../messages/label.js';
import { say, type Key } from './words.js';

export interface Text {
  lang: Language;
  t: (key: Key, values?: Record<string, string | number>) => string;
}

/** The catalogue in the page's language. */
export function useT(): Text {
  const lang = useContext(LanguageContext);
  return { lang, t: (key, values) => say(key, lang, values) };
}
