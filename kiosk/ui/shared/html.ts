import { createContext, h } from 'preact';
import { useContext } from 'preact/hooks';
import htm from 'htm';
import type { Language } from '../../messages/label.js';
import { type MessageKey, t, tf } from '../../messages/pages.js';

/** Tagged templates instead of JSX: no compile step of its own, and text is always escaped by Preact. */
export const html = htm.bind(h);

export const LanguageContext = createContext<Language>('vi');

/** The catalogue in the screen's language. */
export function useText(): {
  lang: Language;
  t: (key: MessageKey) => string;
  tf: (key: MessageKey, values: Record<string, string | number>) => string;
} {
  const lang = useContext(LanguageContext);
  return { lang, t: (key) => t(key, lang), tf: (key, values) => tf(key, lang, values) };
}
