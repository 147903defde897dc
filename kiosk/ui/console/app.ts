import { t, type Language, type MessageKey } from '../shared/messages.js';

/**
 * The technician's console (served on the LAN, behind the login). Talks only to /api on the same
 * server with the session cookie; every value from the API is written with textContent.
 */

type Tab = 'health' | 'readiness' | 'schedule' | 'recordings' | 'audit';
interface Device { kind: string; driver: string; status: string; detail?: string }
interface Health { room: { name: string }; services: { name: string; state: string; error?: string }[]; devices: Device[] }
interface CheckResult { id: string; status: string; explanation: { vi: string; en: string } }
interface Run { id: string; startedAt: string; overall: string; trigger: string; results: CheckResult[] }
interface Session { id: string; title: string; state: string; startsAt: string; endsAt: string; chairSite: { name: string } }
interface Recording { id: string; sessionId: string | null; state: string; startedAt: string; bytes: number; confidential: boolean; verifiedExport: boolean }
interface AuditEntry { seq: number; at: string; actor: string; role: string; action: string; target: string }

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let language: Language = (localStorage.getItem('diemcau.language') as Language | null) ?? 'vi';
let tab: Tab = 'health';
const text = (key: MessageKey) => t(key, language);

class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  // Every change is sent as JSON, even without a body: the daemon refuses anything else (cross-site requests).
  const changes = method !== 'GET';
  const response = await fetch(`/api${path}`, { method, headers: changes ? { 'content-type': 'application/json' } : {}, ...(changes ? { body: JSON.stringify(body ?? {}) } : {}) });
  const payload = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== '/auth/login') showLogin();
  if (!response.ok) throw new ApiError(response.status, payload?.error?.message ?? String(response.status));
  return payload as T;
}

function toast(message: string): void {
  const element = $('toast');
  element.textContent = message;
  element.hidden = false;
  setTimeout(() => (element.hidden = true), 4000);
}

function cell(content: string | Node, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.append(content);
  return td;
}

function badge(label: string, kind: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = `badge ${kind}`;
  span.textContent = label;
  return span;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  element.onclick = onClick;
  return element;
}

const when = (iso: string) => new Date(iso).toLocaleString(language === 'vi' ? 'vi-VN' : 'en-GB');

/** A table with a header row (an empty string leaves a column header blank), or one line saying it is empty. */
function table(id: string, head: (MessageKey | '')[], rows: HTMLTableRowElement[], empty: MessageKey): void {
  const element = $(id);
  if (rows.length === 0) {
    const row = document.createElement('tr');
    row.append(cell(text(empty), 'muted'));
    element.replaceChildren(row);
    return;
  }
  const header = document.createElement('tr');
  for (const key of head) {
    const th = document.createElement('th');
    th.textContent = key ? text(key) : '';
    header.append(th);
  }
  element.replaceChildren(header, ...rows);
}

async function showHealth(): Promise<void> {
  const health = await api<Health>('GET', '/health');
  $('room').textContent = health.room.name;
  const deviceStatus: Record<string, MessageKey> = { ok: 'statusOk', connecting: 'statusConnecting', failed: 'statusFailed', 'bad-config': 'statusBadConfig' };
  const deviceKind: Record<string, MessageKey> = { camera: 'camera', ptz: 'ptz', audio: 'audio', display: 'display', ups: 'ups', gpio: 'gpio' };
  const devices = health.devices.map((d) => [deviceKind[d.kind] ? text(deviceKind[d.kind]!) : d.kind, d.driver, d.status, deviceStatus[d.status] ? text(deviceStatus[d.status]!) : d.status, d.detail ?? ''] as const);
  const services = health.services.map((s) => [text('services'), s.name, s.state, s.state, s.error ?? ''] as const);
  const rows = [...devices, ...services].map(([what, name, status, label, detail]) => {
    const row = document.createElement('tr');
    row.append(cell(what), cell(name), cell(badge(label, status)), cell(detail, 'muted'));
    return row;
  });
  const section = $('tab-health');
  const list = document.createElement('table');
  list.id = 'health-table';
  section.replaceChildren(list);
  table('health-table', ['', '', '', ''], rows, 'devices');
}

async function showReadiness(): Promise<void> {
  const { runs } = await api<{ runs: Run[] }>('GET', '/readiness?limit=10');
  const container = $('readiness-runs');
  if (runs.length === 0) {
    container.textContent = text('noRuns');
    return;
  }
  container.replaceChildren(
    ...runs.map((run) => {
      const block = document.createElement('details');
      block.dataset.run = run.id;
      const summary = document.createElement('summary');
      summary.append(badge(text(`result_${run.overall}` as MessageKey), run.overall), ` ${when(run.startedAt)} · ${run.trigger}`);
      const list = document.createElement('table');
      for (const result of run.results) {
        const row = document.createElement('tr');
        row.append(cell(text(`check_${result.id}` as MessageKey)), cell(badge(text(`result_${result.status}` as MessageKey), result.status)), cell(result.explanation[language], 'muted'));
        list.append(row);
      }
      block.append(summary, list);
      return block;
    }),
  );
}

async function showSchedule(): Promise<void> {
  const { sessions } = await api<{ sessions: Session[] }>('GET', '/schedule');
  table(
    'sessions',
    ['title', 'chairSite', 'startsAt', 'endsAt', ''],
    sessions.map((s) => {
      const row = document.createElement('tr');
      row.append(cell(s.title), cell(s.chairSite.name), cell(when(s.startsAt)), cell(when(s.endsAt)), cell(badge(text(`state_${s.state}` as MessageKey), s.state)));
      return row;
    }),
    'noSessions',
  );
}

async function showRecordings(): Promise<void> {
  const { recordings } = await api<{ recordings: Recording[] }>('GET', '/evidence/recordings');
  table(
    'recordings',
    ['', 'startsAt', '', '', ''],
    recordings.map((r) => {
      const row = document.createElement('tr');
      row.dataset.recording = r.id;
      const result = cell('');
      const verify = button(text('verify'), async () => {
        try {
          const outcome = await api<{ ok: boolean }>('POST', `/evidence/recordings/${encodeURIComponent(r.id)}/verify`, {});
          result.replaceChildren(badge(text(outcome.ok ? 'intact' : 'tampered'), outcome.ok ? 'intact' : 'tampered'));
        } catch (error) {
          toast((error as Error).message);
        }
      });
      const exportIt = button(text('export'), async () => {
        try {
          await api('POST', `/evidence/recordings/${encodeURIComponent(r.id)}/export`, { to: $<HTMLInputElement>('export-to').value });
          toast(text('saved'));
          void showRecordings();
        } catch (error) {
          toast((error as Error).message);
        }
      });
      row.append(cell(r.id), cell(when(r.startedAt)), cell(`${(r.bytes / 1e6).toFixed(1)} MB`), cell(badge(r.state, r.state)), cell(verify), cell(exportIt), result);
      return row;
    }),
    'noRecordings',
  );
}

async function showAudit(): Promise<void> {
  const { entries } = await api<{ entries: AuditEntry[] }>('GET', '/evidence/audit?limit=200');
  table(
    'audit',
    ['', '', '', '', ''],
    entries.map((e) => {
      const row = document.createElement('tr');
      row.append(cell(String(e.seq)), cell(when(e.at)), cell(`${e.actor} (${e.role})`), cell(e.action), cell(e.target));
      return row;
    }),
    'noRecordings',
  );
}

const views: Record<Tab, () => Promise<void>> = { health: showHealth, readiness: showReadiness, schedule: showSchedule, recordings: showRecordings, audit: showAudit };

function translate(): void {
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) element.textContent = text(element.dataset.text as MessageKey);
  for (const element of document.querySelectorAll<HTMLInputElement>('[data-placeholder]')) element.placeholder = text(element.dataset.placeholder as MessageKey);
}

async function open(next: Tab): Promise<void> {
  tab = next;
  for (const element of document.querySelectorAll<HTMLElement>('[data-tab]')) element.setAttribute('aria-current', String(element.dataset.tab === tab));
  for (const name of Object.keys(views)) $(`tab-${name}`).hidden = name !== tab;
  try {
    await views[tab]();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) toast((error as Error).message);
  }
}

function showLogin(): void {
  $('app').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  $('login-form').hidden = false;
}

async function showApp(): Promise<void> {
  const me = await api<{ user: string; roleLabel: { vi: string; en: string } }>('GET', '/auth/me');
  $('who').textContent = `${me.user} · ${me.roleLabel[language]}`;
  $('login-form').hidden = true;
  $('logout').hidden = false;
  $('app').hidden = false;
  await open(tab);
}

function wire(): void {
  $('language').onclick = () => {
    language = language === 'vi' ? 'en' : 'vi';
    localStorage.setItem('diemcau.language', language);
    translate();
    if (!$('app').hidden) void showApp();
  };
  $<HTMLFormElement>('login-form').onsubmit = async (event) => {
    event.preventDefault();
    $('login-error').textContent = '';
    try {
      await api('POST', '/auth/login', { username: $<HTMLInputElement>('username').value, password: $<HTMLInputElement>('password').value });
      $<HTMLInputElement>('password').value = '';
      await showApp();
    } catch (error) {
      $('login-error').textContent = `${text('loginFailed')}: ${(error as Error).message}`;
    }
  };
  $('logout').onclick = async () => {
    await api('POST', '/auth/logout', {}).catch(() => undefined);
    showLogin();
  };
  for (const element of document.querySelectorAll<HTMLElement>('[data-tab]')) element.onclick = () => void open(element.dataset.tab as Tab);
  $('run-readiness').onclick = async () => {
    const runButton = $<HTMLButtonElement>('run-readiness');
    runButton.disabled = true;
    try {
      await api('POST', '/readiness/run', {});
      await showReadiness();
    } catch (error) {
      toast((error as Error).message);
    } finally {
      runButton.disabled = false;
    }
  };
  $<HTMLFormElement>('session-form').onsubmit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const instant = (name: string) => new Date(String(form.get(name))).toISOString();
    try {
      await api('POST', '/schedule', { kind: form.get('kind'), title: form.get('title'), chairSite: { name: form.get('chair') }, startsAt: instant('startsAt'), endsAt: instant('endsAt') });
      toast(text('saved'));
      (event.target as HTMLFormElement).reset();
      await showSchedule();
    } catch (error) {
      toast((error as Error).message);
    }
  };
}

wire();
translate();
api('GET', '/auth/me').then(() => showApp(), () => showLogin());
