import { useEffect, useState } from 'preact/hooks';
import { calendarDate, clockTime, meterShare } from '../../shared/format.js';
import { html, useText } from '../../shared/html.js';
import type { CurrentSession, Levels } from '../types.js';

/** The next session, with Start only inside its start window, and the reason otherwise. */
export function SessionCard({
  current,
  connected,
  busy,
  onStart,
}: {
  current: CurrentSession | undefined;
  connected: boolean;
  busy: boolean;
  onStart: () => void;
}) {
  const { t, tf } = useText();
  const session = current?.session;
  if (!session) {
    return html`<section class="panel session" aria-labelledby="session-heading">
      <h2 id="session-heading">${t('nextSession')}</h2>
      <p class="empty">${t('noSession')}</p>
    </section>`;
  }
  const window = current?.startWindow;
  const startable = ['scheduled', 'preparing', 'ready'].includes(session.state);
  const reason =
    !window || window.open
      ? window
        ? tf('startOpenUntil', { closes: clockTime(window.closesAt) })
        : ''
      : window.code === 'too_early'
        ? tf('startTooEarly', { start: clockTime(session.startsAt), opens: clockTime(window.opensAt) })
        : tf('startTooLate', { closes: clockTime(window.closesAt) });
  return html`<section class="panel session" aria-labelledby="session-heading">
    <h2 id="session-heading">${t('nextSession')}</h2>
    <p class="session-title">${session.title}</p>
    <p class="session-meta">
      <span class="when">${tf('sessionTime', { from: clockTime(session.startsAt), to: clockTime(session.endsAt), date: calendarDate(session.startsAt) })}</span>
      <span>${t('linkLabel')}: ${session.chairSite.name}</span>
    </p>
    ${
      startable
        ? html`<div class="actions">
          <button id="start" class="button primary" type="button" disabled=${!connected || busy || !window?.open} onClick=${onStart}>${t('startSession')}</button>
          <p id="start-reason" class=${`reason ${window?.open ? '' : 'closed'}`}>${reason}</p>
        </div>`
        : null
    }
  </section>`;
}

/** What the camera records, once a second (a new URL so the browser fetches it again). */
function Preview({ active }: { active: boolean }) {
  const { t } = useText();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return active
    ? html`<img id="preview" class="preview" alt=${t('previewAlt')} src=${`/api/media/preview.jpg?t=${tick}`} />`
    : html`<div class="preview blank"></div>`;
}

function Meters({ levels }: { levels: Levels | null }) {
  const { t, tf } = useText();
  return html`<div class="meters" aria-label=${t('levels')}>
    <span class="meters-label">${t('levels')}</span>
    ${
      levels?.peakDb.length
        ? levels.peakDb.map(
            (
              peak,
              index,
            ) => html`<div class="meter" role="meter" aria-label=${tf('levelChannel', { n: index + 1 })} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(meterShare(levels.rmsDb[index] ?? -90) * 100)}>
          <span class="rms" style=${{ width: `${meterShare(levels.rmsDb[index] ?? -90) * 100}%` }}></span>
          <span class="peak" style=${{ left: `${meterShare(peak) * 100}%` }}></span>
        </div>`,
          )
        : html`<span class="empty">${t('levelsIdle')}</span>`
    }
  </div>`;
}

/** The live session: the picture being recorded, the sound level, End (after a confirmation). */
export function LivePanel({
  current,
  connected,
  levels,
  onEnd,
  onResume,
}: {
  current: CurrentSession;
  connected: boolean;
  levels: Levels | null;
  onEnd: () => void;
  onResume: () => void;
}) {
  const { t, tf } = useText();
  const session = current.session!;
  return html`<section class="panel live" aria-labelledby="live-heading">
    <h2 id="live-heading">${t('liveSession')}</h2>
    <p class="session-title">${session.title}</p>
    <p class="session-meta"><span class="when">${tf('sessionTime', { from: clockTime(session.startsAt), to: clockTime(session.endsAt), date: calendarDate(session.startsAt) })}</span><span>${t('linkLabel')}: ${session.chairSite.name}</span></p>
    <${Preview} active=${connected && !session.recorderStopped} />
    <${Meters} levels=${connected ? levels : null} />
    <div class="actions">
      ${session.recorderStopped && connected ? html`<button id="resume-recording" class="button primary" type="button" onClick=${onResume}>${t('resumeRecording')}</button>` : null}
      <button id="end" class="button danger" type="button" disabled=${!connected} onClick=${onEnd}>${t('endSession')}</button>
    </div>
  </section>`;
}
