import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Language } from '../../messages/label.js';
import { type MessageKey, t as translate } from '../../messages/pages.js';
import { api, errorKey } from './api.js';
import { html, LanguageContext } from '../shared/html.js';
import type { EndSummary, ReadinessRun, TechnicianCall } from './types.js';
import { useDaemon } from './use-daemon.js';
import { CameraPanel, type Move } from './views/camera-panel.js';
import { ControlsPanel } from './views/controls-panel.js';
import { ConfirmDialog, SummaryDialog } from './views/dialogs.js';
import { ReadinessPanel } from './views/readiness-panel.js';
import { ScheduleBoard } from './views/schedule-board.js';
import { LivePanel, SessionCard } from './views/session-panel.js';
import { StatusStrip } from './views/status-strip.js';

/**
 * The reception officer's touchscreen. It talks only to the daemon's kiosk API on 127.0.0.1.
 * One screen, no scrolling: the status strip, then the session (or the public schedule while idle),
 * the equipment test, and the controls that are always there (call the technician, microphone, camera).
 */
function App() {
  const [language, setLanguage] = useState<Language>(
    () => (localStorage.getItem('diemcau.language') as Language | null) ?? 'vi',
  );
  const [daemon, refresh] = useDaemon();
  const [toast, setToast] = useState<MessageKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [testing, setTesting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [ended, setEnded] = useState<{ title: string; summary: EndSummary | null } | null>(null);
  const [activePreset, setActivePreset] = useState<string | undefined>();
  const toastTimer = useRef<number | undefined>(undefined);
  const moving = useRef(false);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  // A recall from elsewhere (the console, speaker tracking) shows here too, at the next refresh;
  // while the daemon does not answer no preset is shown as current (the camera may have moved).
  useEffect(() => {
    if (daemon.activePreset !== undefined) setActivePreset(daemon.activePreset ?? undefined);
  }, [daemon.activePreset]);
  // First time the room's data is on screen: measured by the browser test (performance, not asserted).
  useEffect(() => {
    if (daemon.health && daemon.current && !performance.getEntriesByName('kiosk-data').length)
      performance.mark('kiosk-data');
  }, [daemon.health, daemon.current]);

  const say = useCallback((key: MessageKey) => {
    setToast(key);
    clearTimeout(toastTimer.current);
    toastTimer.current = window.setTimeout(() => setToast(null), 6000);
  }, []);
  const act = useCallback(
    async (work: () => Promise<unknown>) => {
      setBusy(true);
      try {
        await work();
      } catch (error) {
        say(errorKey(error));
      } finally {
        setBusy(false);
        await refresh();
      }
    },
    [refresh, say],
  );

  const session = daemon.current?.session ?? null;
  const live = session?.state === 'live' || session?.state === 'ending';

  const onStart = () => session && act(() => api(`/session/${session.id}/start`, {}));
  const onEnd = async (yes: boolean) => {
    setConfirming(false);
    if (!yes || !session) return;
    setEnded({ title: session.title, summary: null });
    await act(async () => {
      try {
        await api(`/session/${session.id}/end`, {});
      } catch (error) {
        setEnded(null);
        throw error;
      }
      const { summary } = await api<{ summary: EndSummary }>(`/session/${session.id}/summary`);
      setEnded({ title: session.title, summary });
    });
  };
  const onMute = () =>
    act(async () => {
      const { muted } = await api<{ muted: boolean }>('/audio/mute', { muted: !daemon.muted });
      // The session record notes mutes only while it is live: that is what the report is about.
      if (session?.state === 'live') await api(`/session/${session.id}/events`, { type: muted ? 'muted' : 'unmuted' });
    });
  const onCall = () => act(() => api<{ call: TechnicianCall }>('/technician-call', {}));
  const onRecall = (name: string) =>
    act(async () => {
      await api(`/ptz/presets/${encodeURIComponent(name)}/recall`, {});
      setActivePreset(name);
    });
  const onMove = (move: Move | null) => {
    if (!move && !moving.current) return;
    moving.current = Boolean(move);
    if (move) setActivePreset(undefined);
    // Once the daemon knows the camera left its preset, read it back (a refresh already on its way may still say the old one).
    api('/ptz/move', move ?? { pan: 0, tilt: 0, zoom: 0 }).then(
      () => move && refresh(),
      (error: unknown) => say(errorKey(error)),
    );
  };
  const onRun = async () => {
    setTesting(true);
    try {
      await api<{ run: ReadinessRun }>('/readiness/run', session && !live ? { sessionId: session.id } : {});
    } catch (error) {
      say(errorKey(error));
    } finally {
      setTesting(false);
      await refresh();
    }
  };
  const onLanguage = () => {
    const next = language === 'vi' ? 'en' : 'vi';
    localStorage.setItem('diemcau.language', next);
    setLanguage(next);
  };

  const stopped =
    live && daemon.connected && (Boolean(session?.recorderStopped) || daemon.health?.recording?.state === 'stopped');
  const cause = session?.recorderStopped?.cause ?? daemon.health?.recording?.cause;
  return html`<${LanguageContext.Provider} value=${language}>
    <div class=${`kiosk ${daemon.connected ? '' : 'stale'} ${live ? 'is-live' : 'is-idle'}`}>
      <${StatusStrip} daemon=${daemon} onLanguage=${onLanguage} />
      ${
        !daemon.connected
          ? html`<div id="offline" class="banner" role="alert"><strong>${translate('disconnected', language)}</strong><span>${translate('disconnectedHelp', language)}</span></div>`
          : stopped
            ? html`<div id="recorder-stopped" class="banner" role="alert"><strong>${translate('notRecording', language)}</strong><span>${translate(cause === 'disk-full' ? 'recorderStopped_diskfull' : 'recorderStopped_failure', language)}</span></div>`
            : null
      }
      <main class="layout">
        ${
          live && daemon.current
            ? html`<${LivePanel} current=${daemon.current} connected=${daemon.connected} levels=${daemon.levels} onEnd=${() => setConfirming(true)} onResume=${() => session && act(() => api(`/session/${session.id}/recording/resume`, {}))} />`
            : html`<div class="column primary">
              <${SessionCard} current=${daemon.current} connected=${daemon.connected} busy=${busy} onStart=${onStart} />
              <${ScheduleBoard} sessions=${daemon.schedule} now=${Date.now()} />
            </div>
            <${ReadinessPanel} readiness=${daemon.readiness} testing=${testing} connected=${daemon.connected} onRun=${onRun} />`
        }
        <div class="column side">
          <${ControlsPanel} call=${daemon.call} muted=${daemon.muted} connected=${daemon.connected} onCall=${onCall} onMute=${onMute} />
          <${CameraPanel} presets=${daemon.presets} active=${daemon.connected ? activePreset : undefined} connected=${daemon.connected} onRecall=${onRecall} onMove=${onMove} />
        </div>
      </main>
      <${ConfirmDialog} open=${confirming} text=${translate('confirmEnd', language)} onAnswer=${onEnd} />
      <${SummaryDialog} open=${ended !== null} title=${ended?.title ?? ''} summary=${ended?.summary ?? null} onClose=${() => setEnded(null)} />
      ${toast ? html`<div id="toast" class="toast" role="status">${translate(toast, language)}</div>` : null}
    </div>
  <//>`;
}

render(html`<${App} />`, document.getElementById('app')!);
