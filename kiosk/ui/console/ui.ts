import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../shared/html.js';
import { errorText } from './errors.js';
import { useT } from './i18n.js';
import type { Me } from './types.js';

/** The logged-in user, and a way to say something in the status line (an error in words, or a result). */
export interface Shell {
  me: Me;
  can: (capability: string) => boolean;
  notify: (message: string, kind?: 'ok' | 'error') => void;
}
export const ShellContext = createContext<Shell>(undefined as unknown as Shell);
export const useShell = () => useContext(ShellContext);

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload: () => Promise<void>;
}

/** Loads once, again on `reload()`, and every `everyMs` if given; keeps the last data when a reload fails. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = [], everyMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(async () => {
    try {
      setData(await latest.current());
      setError(undefined);
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => {
    void reload();
    if (!everyMs) return;
    const timer = window.setInterval(() => void reload(), everyMs);
    return () => clearInterval(timer);
  }, deps);
  return { data, error, reload };
}

/** Runs an action; its failure is said in words in the status line. Returns whether it worked. */
export function useAct(): (work: () => Promise<unknown>, done?: string) => Promise<boolean> {
  const { notify } = useShell();
  const { lang } = useT();
  return useCallback(
    async (work, done) => {
      try {
        await work();
        if (done) notify(done, 'ok');
        return true;
      } catch (error) {
        notify(errorText(error, lang), 'error');
        return false;
      }
    },
    [notify, lang],
  );
}

export function ErrorLine({ error }: { error: unknown }) {
  const { lang } = useT();
  return error ? html`<p class="error" role="alert">${errorText(error, lang)}</p>` : null;
}

export function Badge({ kind, children }: { kind: string; children: unknown }) {
  return html`<span class=${`badge ${kind}`}>${children}</span>`;
}

export function Loading() {
  const { t } = useT();
  return html`<p class="muted">${t('loading')}</p>`;
}
