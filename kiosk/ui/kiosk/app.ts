import { formatClock, t, type Language, type MessageKey } from '../shared/messages.js';

/**
 * The reception officer's touchscreen. It talks only to the daemon's kiosk API on 127.0.0.1:
 * health over the websocket, the session and camera presets over HTTP. Everything written to the
 * page goes through textContent: nothing the API returns is ever parsed as HTML.
 */

interface Device { id: string; kind: string; status: 'ok' | 'connecting' | 'failed' | 'bad-config'; detail?: string }
interface Health { room: { id: string; name: string }; devices: Device[]; recording?: { state: 'idle' | 'recording' | 'stopped'; sessionId?: string; cause?: string } }
interface SessionView { id: string; title: string; state: string; startsAt: string; endsAt: string; chairSite: { name: string }; recorderStopped?: { at: string; cause: string } | null }
interface CheckResult { id: string; status: 'pass' | 'warn' | 'fail' | 'unsupported'; explanation: { vi: string; en: string } }
interface ReadinessRun { overall: string; results: CheckResult[] }
interface Preset { name: string; label?: { vi: string; en: string } | string; labelVi?: string; labelEn?: string }

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const state = {
  language: (localStorage.getItem('diemcau.language') as Language | null) ?? 'vi',
  health: undefined as Health | undefined,
  session: null as SessionView | null,
  presets: [] as Preset[],
  muted: false,
  readiness: undefined as ReadinessRun | undefined,
  testing: false,
  /** The websocket to the daemon is open: without it nothing on screen can be taken as current. */
  connected: false,
};

const statusKey: Record<Device['status'], MessageKey> = { ok: 'statusOk', connecting: 'statusConnecting', failed: 'statusFailed', 'bad-config': 'statusBadConfig' };
const kindKey: Record<string, MessageKey> = { camera: 'camera', ptz: 'ptz', audio: 'audio', display: 'display', ups: 'ups', gpio: 'gpio' };

function text(key: MessageKey): string {
  return t(key, state.language);
}

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(payload?.error?.message ?? `${response.status}`);
  return payload as T;
}

let toastTimer: number | undefined;
function toast(message: string): void {
  const element = $('toast');
  element.textContent = message;
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (element.hidden = true), 4000);
}

async function act(work: () => Promise<unknown>, done?: MessageKey): Promise<void> {
  try {
    await work();
    if (done) toast(text(done));
  } catch (error) {
    toast(`${text('actionFailed')}: ${(error as Error).message}`);
  }
  await refresh();
}

function confirm(message: string): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('confirm');
  $('confirm-text').textContent = message;
  dialog.showModal();
  return new Promise((resolve) => {
    const finish = (answer: boolean) => {
      dialog.close();
      resolve(answer);
    };
    $('confirm-yes').onclick = () => finish(true);
    $('confirm-no').onclick = () => finish(false);
  });
}

function presetLabel(preset: Preset): string {
  if (typeof preset.label === 'object' && preset.label) return preset.label[state.language];
  if (state.language === 'vi' && preset.labelVi) return preset.labelVi;
  if (state.language === 'en' && preset.labelEn) return preset.labelEn;
  return typeof preset.label === 'string' ? preset.label : preset.name;
}

/** Rebuilds a list only when what it shows changed: a touch must never land on a node being replaced. */
const shown = new Map<string, string>();
function replaceIfChanged(element: HTMLElement, signature: unknown, build: () => Node[]): void {
  const key = JSON.stringify([state.language, signature]);
  if (shown.get(element.id) === key) return;
  shown.set(element.id, key);
  element.replaceChildren(...build());
}

function renderClock(): void {
  $('clock').textContent = formatClock(new Date(), state.language);
}

function render(): void {
  document.documentElement.lang = state.language;
  for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) element.textContent = text(element.dataset.text as MessageKey);
  $('room-name').textContent = state.health?.room.name ?? '';
  renderClock();

  const deviceList = state.health?.devices ?? [];
  replaceIfChanged($('devices'), deviceList.map((d) => [d.kind, d.status]), () =>
    deviceList.map((device) => {
      const item = document.createElement('li');
      item.dataset.kind = device.kind;
      const name = document.createElement('span');
      name.textContent = kindKey[device.kind] ? text(kindKey[device.kind]!) : device.kind;
      const badge = document.createElement('span');
      badge.className = `badge ${device.status}`;
      badge.textContent = text(statusKey[device.status]);
      item.append(name, badge);
      return item;
    }),
  );

  const body = $('session-body');
  const session = state.session;
  if (!session) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = text('noSession');
    body.replaceChildren(empty);
  } else {
    const title = document.createElement('p');
    title.className = 'session-title';
    title.textContent = session.title;
    const meta = document.createElement('p');
    meta.className = 'session-meta';
    const badge = document.createElement('span');
    badge.className = `state ${session.state}`;
    badge.textContent = text(`state_${session.state}` as MessageKey);
    meta.append(badge, document.createTextNode(`  ${session.chairSite.name}`));
    body.replaceChildren(title, meta);
  }
  const live = session?.state === 'live';
  $('start').hidden = !session || !['scheduled', 'preparing', 'ready'].includes(session.state);
  $('end').hidden = !live;
  // The daemon's own word wins: a recorder that stopped by itself is shown at once, even before the session view refreshes.
  const stopped = live && (session?.recorderStopped ?? (state.health?.recording?.state === 'stopped' ? { at: '', cause: state.health.recording.cause ?? 'failure' } : null));
  // "Recording" is claimed only while the daemon answers; a frozen picture is never shown as live.
  $('recording').hidden = !live || Boolean(stopped) || !state.connected;
  $('recorder-stopped').hidden = !stopped;
  $('resume-recording').hidden = !state.connected;
  if (stopped) $('recorder-stopped-text').textContent = text(stopped.cause === 'disk-full' ? 'recorderStopped_diskfull' : 'recorderStopped_failure');
  $('preview').hidden = !live || Boolean(stopped) || !state.connected;
  const mute = $<HTMLButtonElement>('mute');
  mute.textContent = text(state.muted ? 'unmute' : 'mute');
  mute.setAttribute('aria-pressed', String(state.muted));
  $<HTMLButtonElement>('call').disabled = !session;

  const checks = $('readiness-results');
  if (state.testing || !state.readiness) {
    const note = document.createElement('p');
    note.className = 'empty';
    note.textContent = text(state.testing ? 'readinessRunning' : 'readinessNever');
    checks.replaceChildren(note);
  } else {
    checks.replaceChildren(
      ...state.readiness.results.map((result) => {
        const item = document.createElement('li');
        item.dataset.check = result.id;
        const name = document.createElement('span');
        name.textContent = text(`check_${result.id}` as MessageKey);
        const badge = document.createElement('span');
        badge.className = `badge ${result.status}`;
        badge.textContent = text(`result_${result.status}` as MessageKey);
        const explanation = document.createElement('span');
        explanation.className = 'explanation';
        explanation.textContent = result.explanation[state.language];
        item.append(name, badge, explanation);
        return item;
      }),
    );
  }
  $<HTMLButtonElement>('run-readiness').disabled = state.testing;

  replaceIfChanged($('presets'), state.presets, () => {
    if (state.presets.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = text('noPresets');
      return [empty];
    }
    return state.presets.map((preset) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button';
        button.dataset.preset = preset.name;
        button.textContent = presetLabel(preset);
        button.onclick = () => act(() => api(`/ptz/presets/${encodeURIComponent(preset.name)}/recall`, {}));
        return button;
      });
  });
}

async function refresh(): Promise<void> {
  const [session, presets, audio] = await Promise.allSettled([
    api<{ session: SessionView | null }>('/session/current'),
    api<{ presets: Preset[] }>('/ptz/presets'),
    api<{ muted: boolean }>('/audio'),
  ]);
  if (session.status === 'fulfilled') state.session = session.value.session;
  if (presets.status === 'fulfilled') state.presets = presets.value.presets;
  if (audio.status === 'fulfilled') state.muted = audio.value.muted;
  render();
}

function connect(): void {
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  socket.onopen = () => {
    $('offline').hidden = true;
    state.connected = true;
    render();
  };
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    if (message.type === 'health') {
      const was = state.health?.recording?.state;
      state.health = message.data;
      // The recording changed under the session (stopped by itself, resumed): fetch the session now.
      if (state.health?.recording?.state !== was) void refresh();
      render();
    }
  };
  socket.onclose = () => {
    $('offline').hidden = false;
    state.connected = false;
    render();
    window.setTimeout(connect, 2000);
  };
}

function wire(): void {
  $('language').onclick = () => {
    state.language = state.language === 'vi' ? 'en' : 'vi';
    localStorage.setItem('diemcau.language', state.language);
    render();
  };
  $('start').onclick = () => state.session && act(() => api(`/session/${state.session!.id}/start`, {}));
  $('end').onclick = async () => {
    if (state.session && (await confirm(text('confirmEnd')))) await act(() => api(`/session/${state.session!.id}/end`, {}));
  };
  $('mute').onclick = () =>
    act(async () => {
      const { muted } = await api<{ muted: boolean }>('/audio/mute', { muted: !state.muted });
      state.muted = muted;
      // The session record notes mutes only while it is live: that is what the report is about.
      if (state.session?.state === 'live') await api(`/session/${state.session.id}/events`, { type: muted ? 'muted' : 'unmuted' });
    });
  $('run-readiness').onclick = async () => {
    state.testing = true;
    render();
    try {
      const { run } = await api<{ run: ReadinessRun }>('/readiness/run', state.session ? { sessionId: state.session.id } : {});
      state.readiness = run;
    } catch (error) {
      toast(`${text('actionFailed')}: ${(error as Error).message}`);
    } finally {
      state.testing = false;
      render();
    }
  };
  $('resume-recording').onclick = () => state.session && act(() => api(`/session/${state.session!.id}/recording/resume`, {}));
  $('call').onclick = () => state.session && act(() => api(`/session/${state.session!.id}/events`, { type: 'technician-called' }), 'technicianCalled');
}

wire();
render();
connect();
void refresh();
window.setInterval(renderClock, 1000);
// What the camera records, once a second while the session is live (a new URL so the browser fetches it).
window.setInterval(() => {
  if (state.session?.state === 'live') $<HTMLImageElement>('preview').src = `/api/media/preview.jpg?t=${Date.now()}`;
}, 1000);
window.setInterval(() => void refresh(), 5000);
