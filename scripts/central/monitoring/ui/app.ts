import { lineChart } from './chart.js';
import { text, type Language, type MessageKey } from './messages.js';

/** The monitoring dashboard: a login, the rooms list with filters, a room's page. Polls the API for live refresh. */

type Readiness = 'pass' | 'warn' | 'fail' | 'due' | 'not-yet' | 'no-session' | 'unknown';
interface Room {
  id: string;
  province: string | null;
  district: string | null;
  version: string | null;
  lastSeenAt: string | null;
  lastSeenAgeS: number | null;
  stale: boolean;
  health: 'ok' | 'degraded' | 'failed' | 'unknown';
  live: { sessionId: string; since: string } | null;
  nextSession: { sessionId: string; startsAt: string } | null;
  readiness: { dayBefore: Readiness; twoHours: Readiness };
  lastReadiness: { runId: string; kind: string; overall: string; finishedAt: string } | null;
  openAlerts: { key: string; topic: string; severity: string; raisedAt: string }[];
  attention: string[];
}
interface RoomDetail {
  room: Room;
  events: {
    seq: number;
    at: string;
    topic: string;
    severity: string;
    alert: { key: string; state: string } | null;
    data: Record<string, unknown>;
  }[];
  alerts: { key: string; topic: string; severity: string; raisedAt: string; clearedAt: string | null }[];
  telemetry: {
    at: string;
    cpuPct: number | null;
    cpuMaxPct: number | null;
    cpuTempC: number | null;
    diskUsedPct: number | null;
  }[];
  audit: { at: string; operator: string; command: string; outcome: string; detail: string | null }[];
  hours: number;
}
type Outcome =
  // biome-ignore lint/suspicious/noExplicitAny: each command's result has its own shape, read in describe() by command.
  | { outcome: 'ok'; result: any }
  | { outcome: 'error'; code: string; message: string }
  | { outcome: 'offline' | 'timeout' }
  | { outcome: 'invalid'; message: string };

const POLL_MS = 5000;
let language: Language = localStorage.getItem('diemcau-monitoring-language') === 'en' ? 'en' : 'vi';
let rooms: Room[] = [];
let detail: RoomDetail | undefined;
let timer: number | undefined;

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const t = (key: MessageKey | string, values?: Record<string, string | number>) => text(language, key, values);

function el(
  tag: string,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value);
  for (const child of children) if (child !== null && child !== undefined) element.append(child);
  return element;
}
const badge = (kind: string, label: string) => el('span', { class: `badge ${kind}` }, label);
const locale = () => (language === 'vi' ? 'vi-VN' : 'en-GB');
const two = (n: number) => String(n).padStart(2, '0');
/** dd/mm/yyyy hh:mm[:ss], the way Vietnamese forms write it (and unambiguous in English too). */
function dateTime(iso: string, seconds = true): string {
  const d = new Date(iso);
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}${seconds ? `:${two(d.getSeconds())}` : ''}`;
}
const clock = (ms: number) => new Date(ms).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });

function age(seconds: number): string {
  if (seconds < 60) return t('agoSeconds', { n: seconds });
  if (seconds < 3600) return t('agoMinutes', { n: Math.floor(seconds / 60) });
  if (seconds < 86_400) return t('agoHours', { n: Math.floor(seconds / 3600) });
  return t('agoDays', { n: Math.floor(seconds / 86_400) });
}
function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? t('durationHM', { h, m }) : t('durationMS', { m, s: seconds % 60 });
}

const healthKind = { ok: 'ok', degraded: 'warn', failed: 'bad', unknown: 'idle' } as const;
const readinessKind: Record<Readiness, string> = {
  pass: 'ok',
  warn: 'warn',
  fail: 'bad',
  due: 'bad',
  'not-yet': 'idle',
  'no-session': 'idle',
  unknown: 'idle',
};
const severityKind: Record<string, string> = { info: 'idle', warning: 'warn', critical: 'bad' };

async function api<T>(path: string, init?: { method: 'POST'; body?: unknown }): Promise<{ status: number; body: T }> {
  const response = await fetch(
    path,
    init
      ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body ?? {}) }
      : undefined,
  );
  const body = (await response.json().catch(() => ({}))) as T;
  if (response.status === 401 && path !== '/api/login') showLogin();
  return { status: response.status, body };
}

let updatedAt: Date | undefined;
function showUpdated(): void {
  if (updatedAt) $('#updated').textContent = `${t('updatedAt')} ${updatedAt.toLocaleTimeString(locale())}`;
}

function applyStaticText(): void {
  document.documentElement.lang = language;
  for (const node of document.querySelectorAll<HTMLElement>('[data-text]')) node.textContent = t(node.dataset.text!);
  document.title = `Điểm Cầu — ${t('appTitle')}`;
}

function show(view: 'login' | 'list' | 'room'): void {
  $('#login-form').hidden = view !== 'login';
  $('#list-view').hidden = view !== 'list';
  $('#room-view').hidden = view !== 'room';
  $('#logout').hidden = view === 'login';
}

function showLogin(): void {
  window.clearTimeout(timer);
  $('#who').textContent = '';
  $('#updated').textContent = '';
  show('login');
  $<HTMLInputElement>('#username').focus();
}

// ---- rooms list ----

function placeLabel(room: Room): string {
  return [room.province ?? t('notSet'), room.district].filter(Boolean).join(' · ');
}

function options(select: HTMLSelectElement, values: string[], keep: string): void {
  // Rebuilt only when the choices change: rebuilding would close a list the operator has open.
  const key = `${language}\n${values.join('\n')}`;
  if (select.dataset.options === key) return;
  select.dataset.options = key;
  const current = values.includes(keep) ? keep : '';
  select.replaceChildren(el('option', { value: '' }, t('all')), ...values.map((v) => el('option', { value: v }, v)));
  select.value = current;
}

function renderList(): void {
  const province = $<HTMLSelectElement>('#filter-province');
  const district = $<HTMLSelectElement>('#filter-district');
  const attention = $<HTMLInputElement>('#filter-attention').checked;
  const unique = (list: (string | null)[]) =>
    [...new Set(list.filter((v): v is string => !!v))].sort((a, b) => a.localeCompare(b, 'vi'));
  options(province, unique(rooms.map((r) => r.province)), province.value);
  options(
    district,
    unique(rooms.filter((r) => !province.value || r.province === province.value).map((r) => r.district)),
    district.value,
  );
  const shown = rooms.filter(
    (r) =>
      (!province.value || r.province === province.value) &&
      (!district.value || r.district === district.value) &&
      (!attention || r.attention.length > 0),
  );

  const tile = (label: string, value: number, extra = '') =>
    el('div', { class: `tile ${extra}` }, el('strong', {}, String(value)), label);
  $('#summary').replaceChildren(
    tile(t('totalRooms'), rooms.length),
    // Red only when some room does need attention: a red 0 reads as an alarm.
    tile(
      t('needAttention'),
      rooms.filter((r) => r.attention.length).length,
      rooms.some((r) => r.attention.length) ? 'attention' : '',
    ),
    tile(t('liveNow'), rooms.filter((r) => r.live).length),
    tile(t('staleRooms'), rooms.filter((r) => r.stale).length),
  );

  const body = $('#rooms tbody');
  body.replaceChildren(
    ...shown.map((room) => {
      const row = el(
        'tr',
        { 'data-room': room.id, tabindex: '0', class: room.attention.length ? 'attention' : '' },
        el('td', {}, el('span', { class: 'room-id' }, room.id)),
        el('td', {}, placeLabel(room)),
        el('td', {}, badge(healthKind[room.health], t(`health_${room.health}`))),
        el('td', {}, badge(readinessKind[room.readiness.dayBefore], t(`readiness_${room.readiness.dayBefore}`))),
        el('td', {}, badge(readinessKind[room.readiness.twoHours], t(`readiness_${room.readiness.twoHours}`))),
        el('td', { class: 'when' }, room.nextSession ? dateTime(room.nextSession.startsAt, false) : '—'),
        el('td', {}, room.openAlerts.length ? badge('bad', String(room.openAlerts.length)) : t('none')),
        el('td', {}, lastSeen(room)),
        el('td', {}, room.live ? badge('live', t('isLive')) : t('notLive')),
      );
      const open = () => (location.hash = `#room/${room.id}`);
      row.addEventListener('click', open);
      row.addEventListener('keydown', (event) => event.key === 'Enter' && open());
      return row;
    }),
  );
  $('#no-rooms').hidden = shown.length > 0;
}

function lastSeen(room: Room): HTMLElement {
  if (room.lastSeenAgeS === null) return el('span', { class: 'stale' }, t('neverSeen'));
  return el('span', room.stale ? { class: 'stale' } : {}, age(room.lastSeenAgeS), room.stale ? ` (${t('stale')})` : '');
}

// ---- one room ----

function summarise(event: RoomDetail['events'][number]): string {
  // biome-ignore lint/suspicious/noExplicitAny: event data as sent by the room, read by topic; unknown fields are listed raw.
  const data = event.data as Record<string, any>;
  // An alert by what it is about, not its key (`readiness:<session id>`): the kind, then raised or cleared.
  const alertKind = event.alert ? event.alert.key.split(':')[0]! : '';
  const alert = event.alert ? `${t(`alertKind_${alertKind}`)} ${t(`alert_${event.alert.state}`)} · ` : '';
  if (event.topic === 'readiness')
    return `${alert}${t(`readiness_${data.overall}`)}${data.kind ? ` · ${t(`kind_${data.kind}`)}` : ''}`;
  if (event.topic === 'session' && data.change)
    return `${alert}${t(`state_${data.change.from}`)} → ${t(`state_${data.change.to}`)}`;
  const pairs = Object.entries(data)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
  return `${alert}${pairs.length > 160 ? `${pairs.slice(0, 160)}…` : pairs}`;
}

function table(head: string[], rows: (Node | string)[][], empty: string): HTMLElement {
  if (rows.length === 0) return el('p', { class: 'muted' }, empty);
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, t(h))))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c))))),
  );
}

function renderRoom(): void {
  if (!detail) return;
  const { room } = detail;
  $('#room-title').textContent = `${t('roomTitle', { id: room.id })} — ${placeLabel(room)}`;
  const card = (...items: [string, Node | string][]) =>
    el('div', { class: 'card' }, el('dl', {}, ...items.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
  const readinessBadge = (status: Readiness) => badge(readinessKind[status], t(`readiness_${status}`));
  const last = room.lastReadiness;
  // What the room's own test said about each check not passing, in its words (Vietnamese or English).
  const lastRun = last
    ? detail.events.find((e) => e.topic === 'readiness' && (e.data as { id?: string }).id === last.runId)
    : undefined;
  const notes = (
    (lastRun?.data as { results?: { id: string; status: string; explanation?: Record<string, string> }[] } | undefined)
      ?.results ?? []
  )
    .filter((r) => r.status !== 'pass')
    .slice(0, 6);
  $('#room-cards').replaceChildren(
    card(
      [t('colHealth'), badge(healthKind[room.health], t(`health_${room.health}`))],
      [t('colLastSeen'), lastSeen(room)],
      [t('version'), room.version ?? '—'],
    ),
    card(
      [t('colLive'), room.live ? t('liveSince', { time: dateTime(room.live.since, false) }) : t('notLiveNow')],
      [t('openAlerts'), room.openAlerts.length ? badge('bad', String(room.openAlerts.length)) : t('none')],
    ),
    card(
      [
        t('colNextSession'),
        room.nextSession
          ? t('nextSessionAt', { id: room.nextSession.sessionId, time: dateTime(room.nextSession.startsAt, false) })
          : t('noNextSession'),
      ],
      [t('colDayBefore'), readinessBadge(room.readiness.dayBefore)],
      [t('colTwoHours'), readinessBadge(room.readiness.twoHours)],
    ),
    card(
      [
        t('lastReadiness'),
        last ? badge(readinessKind[last.overall as Readiness] ?? 'idle', t(`readiness_${last.overall}`)) : '—',
      ],
      [t('kind'), last ? t(`kind_${last.kind}`) : '—'],
      [t('colTime'), last ? dateTime(last.finishedAt) : '—'],
      ...(notes.length
        ? [
            [
              t('readinessNotes'),
              el('ul', { class: 'notes' }, ...notes.map((r) => el('li', {}, r.explanation?.[language] ?? r.id))),
            ] as [string, Node],
          ]
        : []),
    ),
  );

  const to = Date.now();
  const from = to - detail.hours * 3_600_000;
  const times = detail.telemetry.map((p) => new Date(p.at).getTime());
  const chart = (title: string, max: number, series: { values: (number | null)[]; className: string }[]) => {
    const hasData = series.some((s) => s.values.some((v) => v !== null));
    const legend =
      series.length > 1 && hasData
        ? el(
            'p',
            { class: 'legend' },
            el('span', { class: 'mean' }, t('legendMean')),
            '  ',
            el('span', { class: 'max' }, t('legendMax')),
          )
        : null;
    return el(
      'figure',
      { class: 'chart' },
      el('figcaption', {}, title),
      hasData
        ? lineChart({ times, series, from, to, max, formatTime: clock }, title)
        : el('p', { class: 'muted' }, t('noData')),
      legend,
    );
  };
  $('#charts').replaceChildren(
    // The highest first, so that the mean is drawn over it where they meet.
    chart(t('chartCpu'), 100, [
      { values: detail.telemetry.map((p) => p.cpuMaxPct), className: 'max' },
      { values: detail.telemetry.map((p) => p.cpuPct), className: 'mean' },
    ]),
    chart(t('chartTemp'), 100, [{ values: detail.telemetry.map((p) => p.cpuTempC), className: 'mean' }]),
    chart(t('chartDisk'), 100, [{ values: detail.telemetry.map((p) => p.diskUsedPct), className: 'mean' }]),
  );

  const open = detail.alerts.filter((a) => !a.clearedAt);
  const closed = detail.alerts.filter((a) => a.clearedAt);
  $('#alerts').replaceChildren(
    table(
      ['colKey', 'colTopic', 'colSeverity', 'colRaised'],
      open.map((a) => [
        a.key,
        t(`topic_${a.topic}`),
        badge(severityKind[a.severity] ?? 'idle', t(`severity_${a.severity}`)),
        dateTime(a.raisedAt),
      ]),
      t('noAlerts'),
    ),
    ...(closed.length
      ? [
          el('h3', {}, t('alertHistory')),
          table(
            ['colKey', 'colTopic', 'colRaised', 'colCleared'],
            closed
              .slice(0, 20)
              .map((a) => [a.key, t(`topic_${a.topic}`), dateTime(a.raisedAt), dateTime(a.clearedAt!)]),
            '',
          ),
        ]
      : []),
  );
  $('#audit').replaceChildren(
    table(
      ['colTime', 'colOperator', 'colCommand', 'colOutcome'],
      detail.audit.map((a) => [
        dateTime(a.at),
        a.operator,
        t(`cmd_${a.command}`).replace('…', ''),
        `${t(`outcome_${a.outcome}`)}${a.detail ? `: ${a.detail}` : ''}`,
      ]),
      t('noAudit'),
    ),
  );
  $('#events').replaceChildren(
    table(
      ['colTime', 'colTopic', 'colSeverity', 'colDetail'],
      detail.events.map((e) => [
        dateTime(e.at),
        t(`topic_${e.topic}`),
        badge(severityKind[e.severity] ?? 'idle', t(`severity_${e.severity}`)),
        summarise(e),
      ]),
      t('noEvents'),
    ),
  );
}

function describe(command: string, outcome: Outcome): { kind: 'ok' | 'bad'; line: string } {
  if (outcome.outcome === 'ok') {
    const r = outcome.result;
    const line =
      command === 'ping'
        ? t('pingResult', { uptime: duration(r.uptimeS), version: r.version, time: dateTime(r.at) })
        : command === 'run-readiness'
          ? t('readinessResult', { overall: t(`readiness_${r.overall}`), time: dateTime(r.finishedAt) })
          : command === 'reboot'
            ? t('rebootResult', { time: dateTime(r.at) })
            : t('logsResult', { n: r.lines?.length ?? 0 });
    return { kind: 'ok', line: `${t('outcome_ok')}: ${line}` };
  }
  if (outcome.outcome === 'error') return { kind: 'bad', line: `${t('outcome_error')}: ${outcome.message}` };
  if (outcome.outcome === 'invalid') return { kind: 'bad', line: `${t('outcome_invalid')}: ${outcome.message}` };
  return { kind: 'bad', line: t(`outcome_${outcome.outcome}`) };
}

async function sendCommand(command: string, args: Record<string, unknown> = {}): Promise<void> {
  if (!detail) return;
  const roomId = detail.room.id;
  const result = $('#command-result');
  const buttons = document.querySelectorAll<HTMLButtonElement>('[data-command]');
  for (const b of buttons) b.disabled = true;
  const pending = el(
    'div',
    { class: 'line pending' },
    command === 'run-readiness'
      ? t('commandRunning_run-readiness')
      : t('commandSending', { cmd: t(`cmd_${command}`).replace('…', '') }),
  );
  result.replaceChildren(pending);
  try {
    const { status, body } = await api<Outcome>(`/api/rooms/${encodeURIComponent(roomId)}/commands/${command}`, {
      method: 'POST',
      body: { args },
    });
    const outcome =
      status === 200 || status === 400 ? describe(command, body) : { kind: 'bad' as const, line: t('outcome_failed') };
    result.replaceChildren(
      el(
        'div',
        { class: `line ${outcome.kind}`, 'data-outcome': status === 200 || status === 400 ? body.outcome : 'failed' },
        `${t(`cmd_${command}`).replace('…', '')} — ${outcome.line}`,
      ),
    );
  } catch {
    result.replaceChildren(el('div', { class: 'line bad', 'data-outcome': 'failed' }, t('outcome_failed')));
  } finally {
    for (const b of buttons) b.disabled = false;
    void refresh();
  }
}

// ---- routing and polling ----

const roomOfHash = () => /^#room\/([a-z0-9-]+)$/.exec(location.hash)?.[1];

async function refresh(): Promise<void> {
  window.clearTimeout(timer);
  try {
    const roomId = roomOfHash();
    if (roomId) {
      const { status, body } = await api<RoomDetail>(`/api/rooms/${roomId}`);
      if (status === 401) return;
      if (status === 404) {
        location.hash = '';
        return;
      }
      detail = body;
      show('room');
      renderRoom();
    } else {
      const { status, body } = await api<{ rooms: Room[] }>('/api/rooms');
      if (status === 401) return;
      rooms = body.rooms;
      show('list');
      renderList();
    }
    $('#offline').hidden = true;
    updatedAt = new Date();
    showUpdated();
  } catch {
    $('#offline').hidden = false;
  }
  timer = window.setTimeout(() => void refresh(), POLL_MS);
}

async function start(): Promise<void> {
  applyStaticText();
  const { status, body } = await api<{ operator: string }>('/api/session');
  if (status !== 200) return;
  $('#who').textContent = body.operator;
  await refresh();
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = $<HTMLInputElement>('#username').value.trim();
  const password = $<HTMLInputElement>('#password').value;
  const { status } = await api('/api/login', { method: 'POST', body: { username, password } });
  if (status !== 200) {
    $('#login-error').textContent = t(status === 429 ? 'loginThrottled' : 'loginFailed');
    return;
  }
  $('#login-error').textContent = '';
  $<HTMLInputElement>('#password').value = '';
  await start();
});
$('#logout').addEventListener('click', async () => {
  await api('/api/logout', { method: 'POST' });
  showLogin();
});
$('#language').addEventListener('click', () => {
  language = language === 'vi' ? 'en' : 'vi';
  localStorage.setItem('diemcau-monitoring-language', language);
  applyStaticText();
  showUpdated();
  if (!$('#list-view').hidden) renderList();
  if (!$('#room-view').hidden) renderRoom();
});
for (const id of ['#filter-province', '#filter-district', '#filter-attention'])
  $(id).addEventListener('change', renderList);
$('#back').addEventListener('click', (event) => {
  event.preventDefault();
  location.hash = '';
});
window.addEventListener('hashchange', () => {
  detail = undefined;
  $('#command-result').replaceChildren();
  void refresh();
});
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-command]'))
  button.addEventListener('click', () => {
    const command = button.dataset.command!;
    if (command !== 'reboot') return void sendCommand(command);
    $('#reboot-title').textContent = t('rebootTitle', { id: detail?.room.id ?? '' });
    $<HTMLInputElement>('#reboot-reason').value = '';
    $<HTMLDialogElement>('#reboot-dialog').showModal();
  });
$('#reboot-cancel').addEventListener('click', () => $<HTMLDialogElement>('#reboot-dialog').close());
$('#reboot-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const reason = $<HTMLInputElement>('#reboot-reason').value.trim();
  if (!reason) return;
  $<HTMLDialogElement>('#reboot-dialog').close();
  void sendCommand('reboot', { reason });
});

void start();
