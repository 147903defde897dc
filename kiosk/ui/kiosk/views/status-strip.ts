import { useEffect, useState } from 'preact/hooks';
import { formatClock, type MessageKey } from '../../../messages/pages.js';
import { elapsed, roomTimeZone } from '../../shared/format.js';
import { html, useText } from '../../shared/html.js';
import type { DaemonState } from '../use-daemon.js';

const deviceNames: Record<string, MessageKey> = {
  camera: 'camera',
  ptz: 'ptz',
  audio: 'audio',
  display: 'display',
  ups: 'ups',
  gpio: 'gpio',
};

type Tone = 'ok' | 'warn' | 'alert' | 'rec' | 'idle' | 'stale';

function Tile({ id, tone, label, value }: { id: string; tone: Tone; label?: string; value: string }) {
  return html`<div id=${id} class=${`tile ${tone}`} data-tone=${tone}>
    ${label ? html`<span class="tile-label">${label}</span>` : null}
    <span class="tile-value">${value}</span>
  </div>`;
}

/** The wall clock, ticking on its own (the strip's one moving part while idle). */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The status strip, readable from 1.5 m: room, recording with its elapsed time, microphone,
 * link to the chairing site, power. While disconnected every value says "unknown", never a green.
 */
export function StatusStrip({ daemon, onLanguage }: { daemon: DaemonState; onLanguage: () => void }) {
  const { t, tf, lang } = useText();
  const now = useNow();
  const { connected, health, current, muted, readiness } = daemon;
  const session = current?.session;
  const live = session?.state === 'live';
  const stopped = live && (Boolean(session?.recorderStopped) || health?.recording?.state === 'stopped');
  const recording = connected && live && !stopped && health?.recording?.state === 'recording';

  const attention = health?.status === 'degraded' || readiness?.latest?.overall === 'fail';
  // Which device needs attention, in words ("Camera, Bộ lưu điện"), so the officer can tell the technician.
  const failing = (health?.devices ?? [])
    .filter((d) => d.status !== 'ok')
    .map((d) => (deviceNames[d.kind] ? t(deviceNames[d.kind]!) : d.kind));
  const room = !connected
    ? Tile({ id: 'st-room', tone: 'stale', value: t('roomUnknown') })
    : Tile({
        id: 'st-room',
        tone: attention ? 'warn' : 'ok',
        ...(failing.length ? { label: failing.join(', ') } : {}),
        value: t(attention ? 'roomAttention' : 'roomReady'),
      });

  const since = current?.startedAt ? Date.parse(current.startedAt) : now;
  const rec = recording
    ? Tile({ id: 'st-recording', tone: 'rec', value: `${t('recording')} ${elapsed((now - since) / 1000)}` })
    : Tile({
        id: 'st-recording',
        tone: !connected ? 'stale' : stopped ? 'alert' : 'idle',
        value: !connected || stopped ? t('recordingOff') : t('recordingIdle'),
      });

  const mic =
    !connected || muted === undefined
      ? Tile({ id: 'st-mic', tone: 'stale', value: t('roomUnknown') })
      : Tile({ id: 'st-mic', tone: muted ? 'warn' : 'ok', value: t(muted ? 'micOff' : 'micOn') });

  const stream = health?.media?.stream ?? 'off';
  const link = Tile({
    id: 'st-link',
    tone: !connected ? 'stale' : stream === 'live' ? 'ok' : stream === 'off' ? 'idle' : 'warn',
    label: t('linkLabel'),
    value: connected ? t(`link_${stream}`) : t('roomUnknown'),
  });

  const power = health?.power;
  const minutes = power?.runtimeSeconds != null ? Math.floor(power.runtimeSeconds / 60) : undefined;
  const powerTile =
    !connected || !power
      ? Tile({ id: 'st-power', tone: 'stale', label: t('powerLabel'), value: t('roomUnknown') })
      : Tile({
          id: 'st-power',
          tone: power.onBattery ? 'alert' : 'ok',
          label: t('powerLabel'),
          value: power.onBattery
            ? minutes === undefined
              ? t('powerBatteryUnknown')
              : tf('powerBattery', { minutes })
            : t('powerMains'),
        });

  return html`<header class="strip">
    <div class="identity">
      <h1 id="room-name">${health?.room.name ?? ''}</h1>
      <div id="clock" class="clock">${formatClock(new Date(now), lang, roomTimeZone())
        .split(' · ')
        .map((part) => html`<span>${part}</span>`)}</div>
    </div>
    <div class="tiles" role="status" aria-live="polite">${room}${rec}${mic}${link}${powerTile}</div>
    <button id="language" class="button secondary" type="button" onClick=${onLanguage}>${t('language')}</button>
  </header>`;
}
