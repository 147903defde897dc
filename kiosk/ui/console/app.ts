import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Language } from '../../messages/label.js';
import { setRoomTimeZone } from '../shared/format.js';
import { html, LanguageContext } from '../shared/html.js';
import { api, get, whenLoggedOut } from './api.js';
import { tabs, visibleTabs, type Tab } from './capabilities.js';
import { say } from './words.js';
import type { Health, Me } from './types.js';
import { ShellContext, type Shell } from './ui.js';
import { AuditView } from './views/audit.js';
import { ConfigView } from './views/config.js';
import { DashboardView } from './views/dashboard.js';
import { LoginView } from './views/login.js';
import { LogsView } from './views/logs.js';
import { DevicesView } from './views/devices.js';
import { ReadinessView } from './views/readiness.js';
import { RecordingsView } from './views/recordings.js';
import { ScheduleView } from './views/schedule.js';
import { UsersView } from './views/users.js';

/**
 * The technician's console (served on the LAN, behind the login). It talks only to /api on the
 * same server with the session cookie. Each role sees the tabs it may use; the daemon still checks
 * every call. Text comes from the catalogue; Preact escapes every value from the API.
 */
const views: Record<Tab, () => unknown> = {
  dashboard: () => html`<${DashboardView} />`,
  readiness: () => html`<${ReadinessView} />`,
  schedule: () => html`<${ScheduleView} />`,
  recordings: () => html`<${RecordingsView} />`,
  audit: () => html`<${AuditView} />`,
  users: () => html`<${UsersView} />`,
  config: () => html`<${ConfigView} />`,
  logs: () => html`<${LogsView} />`,
  devices: () => html`<${DevicesView} />`,
};

const tabFromHash = (): Tab | undefined => {
  const name = location.hash.replace(/^#\/?/, '') as Tab;
  return tabs.some((t) => t.id === name) ? name : undefined;
};

function App() {
  const [lang, setLang] = useState<Language>(
    () => (localStorage.getItem('diemcau.language') as Language | null) ?? 'vi',
  );
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [tab, setTab] = useState<Tab>(() => tabFromHash() ?? 'dashboard');
  const [room, setRoom] = useState('');
  const [note, setNote] = useState<{ message: string; kind: 'ok' | 'error' } | null>(null);
  const noteTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${say('consoleTitle', lang)} — Điểm Cầu`;
  }, [lang]);
  useEffect(() => {
    whenLoggedOut(() => setMe(null));
    get<Me>('/auth/me').then(setMe, () => setMe(null));
    get<Pick<Health, 'room'>>('/health').then(
      (h) => {
        // Before the name: the render the name causes shows every date in the room's zone.
        setRoomTimeZone(h.room.timeZone);
        setRoom(h.room.name);
      },
      () => undefined,
    );
    const onHash = () => setTab((current) => tabFromHash() ?? current);
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const notify = useCallback((message: string, kind: 'ok' | 'error' = 'ok') => {
    setNote({ message, kind });
    clearTimeout(noteTimer.current);
    // Errors stay until read and closed; a result fades.
    if (kind === 'ok') noteTimer.current = window.setTimeout(() => setNote(null), 6000);
  }, []);
  const toggleLanguage = () => {
    const next = lang === 'vi' ? 'en' : 'vi';
    localStorage.setItem('diemcau.language', next);
    setLang(next);
  };
  const logout = async () => {
    await api('POST', '/auth/logout').catch(() => undefined);
    setMe(null);
  };

  const allowed = me ? visibleTabs(me.capabilities) : [];
  const current = allowed.includes(tab) ? tab : allowed[0];
  const shell: Shell | undefined = me ? { me, can: (c) => me.capabilities.includes(c as never), notify } : undefined;
  const t = (key: Parameters<typeof say>[0], values?: Record<string, string | number>) => say(key, lang, values);

  return html`<${LanguageContext.Provider} value=${lang}>
    <header class="bar">
      <div class="brand"><strong>${t('consoleTitle')}</strong>${room ? html` · <span id="room">${room}</span>` : null}</div>
      <div class="bar-right">
        ${me ? html`<span id="who">${me.user} · ${me.roleLabel[lang]}</span><button id="logout" type="button" onClick=${logout}>${t('logout')}</button>` : null}
        <button id="language" type="button" lang=${lang === 'vi' ? 'en' : 'vi'} onClick=${toggleLanguage}>${t('language')}</button>
      </div>
    </header>
    ${
      me === undefined
        ? null
        : me === null
          ? html`<${LoginView} onLoggedIn=${setMe} />`
          : html`
      <div class="shell" id="app">
        <nav aria-label=${t('mainNav')}>
          ${allowed.map((id) => html`<a href=${`#${id}`} data-tab=${id} aria-current=${id === current ? 'page' : undefined} onClick=${() => setTab(id)}>${t(tabs.find((x) => x.id === id)!.label)}</a>`)}
        </nav>
        <main id=${`tab-${current}`}>
          <${ShellContext.Provider} value=${shell}>${current ? views[current]() : null}</${ShellContext.Provider}>
        </main>
      </div>`
    }
    ${
      note
        ? html`<div id="toast" class=${`toast ${note.kind}`} role=${note.kind === 'error' ? 'alert' : 'status'}>
      <span>${note.message}</span><button type="button" class="link" onClick=${() => setNote(null)}>${t('close')}</button></div>`
        : null
    }
  </${LanguageContext.Provider}>`;
}

render(html`<${App} />`, document.getElementById('root')!);
