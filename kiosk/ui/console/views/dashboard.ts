import { useEffect, useState } from 'preact/hooks';
import { dateTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { meterShare } from '../../shared/format.js';
import { api, get } from '../api.js';
import { useT } from '../i18n.js';
import { bytes, decimal, longDuration, word } from '../labels.js';
import type { Health, ReadinessRun, SessionRecord, SystemReading, TechnicianCall } from '../types.js';
import { Badge, ErrorLine, useAct, useLoad, useShell } from '../ui.js';

const statusClass: Record<string, string> = { ok: 'ok', connecting: 'warn', failed: 'fail', 'bad-config': 'fail' };
const statusKey: Record<string, 'statusOk' | 'statusConnecting' | 'statusFailed' | 'statusBadConfig'> = {
  ok: 'statusOk',
  connecting: 'statusConnecting',
  failed: 'statusFailed',
  'bad-config': 'statusBadConfig',
};

/** The room at a glance: what a technician checks before a session and when the room calls. */
export function DashboardView() {
  const { t, lang } = useT();
  const { can } = useShell();
  const health = useLoad(() => get<Health>('/health'), [], 5000);
  const system = useLoad(() => get<SystemReading>('/system'), [], 10_000);
  const schedule = useLoad(() => get<{ sessions: SessionRecord[] }>('/schedule'), [], 30_000);
  const readiness = useLoad(() => get<{ runs: ReadinessRun[] }>('/readiness?limit=1'), [], 30_000);
  const h = health.data;
  const s = system.data;
  const stale = Boolean(health.error && h);
  useEffect(() => {
    if (h && s && !performance.getEntriesByName('console-data').length) performance.mark('console-data');
  }, [h, s]);
  const now = Date.now();
  const next = schedule.data?.sessions
    .filter((x) => Date.parse(x.endsAt) > now && !['closed', 'failed', 'aborted'].includes(x.state))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
  const run = readiness.data?.runs[0];
  const recording = h?.recording?.state ?? 'idle';
  const servicesDown = h?.services.filter((x) => x.state !== 'running') ?? [];

  return html`<section class=${`dashboard ${stale ? 'stale' : ''}`} aria-labelledby="dash-title">
    <h1 id="dash-title" class="sr-only">${t('tabDashboard')}</h1>
    ${stale ? html`<p class="banner fail" role="alert">${t('staleData')}</p>` : html`<${ErrorLine} error=${!h ? health.error : undefined} />`}
    ${can('devices.manage') ? html`<${TechnicianCalls} />` : null}
    <div class="tiles">
      <article class="tile" id="tile-room">
        <h2>${t('roomState')}</h2>
        ${stale ? html`<p class="big"><${Badge} kind="fail">${t('disconnected')}</${Badge}></p>` : null}
        ${
          h && !stale
            ? html`<p class="big"><${Badge} kind=${h.status === 'ok' ? 'ok' : 'warn'}>${t(h.status === 'ok' ? 'roomOk' : 'roomDegraded')}</${Badge}></p>
          <p>${recording === 'recording' ? html`<${Badge} kind="rec">${t('recordingNow')}</${Badge}>` : recording === 'stopped' ? html`<${Badge} kind="fail">${t('recordingStoppedNow')}</${Badge}>` : t('recordingIdle')}</p>
          <dl><dt>${t('version')}</dt><dd id="version">${h.version}</dd><dt>${t('uptime')}</dt><dd>${longDuration(h.uptimeSeconds, lang)}</dd></dl>`
            : null
        }
      </article>
      <article class="tile" id="tile-disk">
        <h2>${t('storage')}</h2>
        ${
          s
            ? html`<p class="big" id="hours-left">${t('recordingLeft', { hours: decimal(s.recordingsDisk.recordingHoursLeft, lang) })}</p>
          <meter min="0" max="1" low="0.8" high="0.9" optimum="0" value=${1 - s.recordingsDisk.freeBytes / s.recordingsDisk.totalBytes} aria-label=${t('storage')}></meter>
          <p>${t('storageFree', { free: bytes(s.recordingsDisk.freeBytes, lang), total: bytes(s.recordingsDisk.totalBytes, lang), percent: Math.round((s.recordingsDisk.freeBytes / s.recordingsDisk.totalBytes) * 100) })}</p>`
            : null
        }
      </article>
      <article class="tile" id="tile-ups">
        <h2>${t('upsTitle')}</h2>
        ${h?.power ? html`<p class=${h.power.onBattery ? 'big warn-text' : 'big'}>${t(h.power.onBattery ? 'upsBattery' : 'upsMains', { charge: h.power.chargePercent ?? '—', runtime: h.power.runtimeSeconds === null ? '—' : longDuration(h.power.runtimeSeconds, lang) })}</p>` : html`<p>${t('upsNone')}</p>`}
      </article>
      <article class="tile" id="tile-machine">
        <h2>${t('cpu')}</h2>
        ${
          s
            ? html`<p class="big">${t('cpuLoad', { percent: s.system.cpuPct })}</p>
          <p>${s.system.cpuTempC === null ? t('noTemperature') : t('temperature', { celsius: s.system.cpuTempC })}</p>
          <p>${t('memory', { percent: decimal(s.system.memUsedPct, lang), total: bytes(s.system.memTotalMB * 1e6, lang) })}</p>`
            : null
        }
      </article>
      <article class="tile" id="tile-network">
        <h2>${t('network')}</h2>
        ${
          s
            ? html`<ul class="plain">${s.network.length === 0 ? html`<li>${t('noLinks')}</li>` : s.network.map((n) => html`<li><code>${n.iface}</code> <${Badge} kind=${n.up ? 'ok' : 'fail'}>${t(n.up ? 'linkUp' : 'linkDown')}</${Badge}>${n.speedMbps ? ` ${n.speedMbps} Mb/s` : ''}</li>`)}</ul>
          <p>${t('central')}: <${Badge} kind=${s.fleet.state === 'connected' ? 'ok' : s.fleet.state === 'disabled' ? 'neutral' : 'warn'}>${word('fleet', s.fleet.state, lang)}</${Badge}></p>
          <p>${t('stream')}: <${Badge} kind=${h?.media?.stream === 'live' ? 'ok' : h?.media?.stream === 'retrying' ? 'fail' : 'neutral'}>${word('link', h?.media?.stream ?? 'off', lang)}</${Badge}></p>`
            : null
        }
      </article>
      <article class="tile" id="tile-next">
        <h2>${t('nextSessionTitle')}</h2>
        ${next ? html`<p class="big">${next.title}</p><p>${dateTime(next.startsAt)} · ${next.chairSite.name}</p><p>${word('state', next.state, lang)}</p>` : html`<p>${t('noUpcoming')}</p>`}
        <h2>${t('lastReadiness')}</h2>
        ${run ? html`<p><${Badge} kind=${run.overall}>${word('result', run.overall, lang)}</${Badge}> ${dateTime(run.finishedAt ?? run.startedAt)} (${word('runKind', run.kind, lang)})</p>` : html`<p>${t('noRuns')}</p>`}
      </article>
    </div>
    <div class="two">
      <article class="card" id="devices">
        <h2>${t('devices')}</h2>
        <table><thead><tr><th scope="col">${t('devices')}</th><th scope="col">${t('driver')}</th><th scope="col">${t('state')}</th><th scope="col">${t('detail')}</th></tr></thead>
          <tbody>${(h?.devices ?? []).map((d) => html`<tr data-device=${d.kind}><td>${word('deviceKind', d.kind, lang)}</td><td><code>${d.driver}</code></td><td><${Badge} kind=${statusClass[d.status] ?? 'neutral'}>${statusKey[d.status] ? t(statusKey[d.status]!) : t('unknown')}</${Badge}></td><td class="muted">${d.detail ?? ''}</td></tr>`)}</tbody></table>
        <p id="services">${t('servicesTitle')}: ${servicesDown.length === 0 ? t('servicesAllRunning', { count: h?.services.length ?? 0 }) : html`<span class="error">${t('servicesDown', { names: servicesDown.map((x) => x.name).join(', ') })}</span>`}</p>
      </article>
      ${can('recordings.read') ? html`<${LivePicture} recording=${recording === 'recording' && !stale} />` : null}
    </div>
  </section>`;
}

/** The picture being recorded and the sound levels, from the same endpoints the touchscreen uses. */
function LivePicture({ recording }: { recording: boolean }) {
  const { t } = useT();
  const [frame, setFrame] = useState(0);
  const [levels, setLevels] = useState<number[] | null>(null);
  useEffect(() => {
    if (!recording) return;
    const timer = window.setInterval(() => {
      setFrame((n) => n + 1);
      get<{ levels: { peakDb: number[] } | null }>('/media/levels').then(
        (r) => setLevels(r.levels?.peakDb ?? null),
        () => setLevels(null),
      );
    }, 1000);
    return () => clearInterval(timer);
  }, [recording]);
  return html`<article class="card" id="live">
    <h2>${t('livePicture')}</h2>
    ${
      recording
        ? html`<img class="preview" src=${`/api/media/preview.jpg?n=${frame}`} alt=${t('previewAlt')} width="640" height="360" />
      <div class="meters">${(levels ?? []).map((db, i) => html`<div class="meter-row"><span>${t('levelChannel', { n: i + 1 })}</span><div class="meter" role="meter" aria-valuemin="-60" aria-valuemax="0" aria-valuenow=${Math.round(db)} aria-label=${t('levelChannel', { n: i + 1 })}><div style=${`width:${Math.round(meterShare(db) * 100)}%`}></div></div></div>`)}</div>`
        : html`<p class="muted">${t('noPicture')}</p>`
    }
  </article>`;
}

/** Calls from the room's touchscreen: the technician says they are on the way (audited, cleared at central). */
function TechnicianCalls() {
  const { t } = useT();
  const act = useAct();
  const calls = useLoad(() => get<{ calls: TechnicianCall[] }>('/technician-calls'), [], 3000);
  const waiting = calls.data?.calls.filter((c) => c.state === 'waiting') ?? [];
  const recent = calls.data?.calls.filter((c) => c.state === 'acknowledged').slice(0, 3) ?? [];
  return html`<article class="card" id="technician-calls">
    <h2>${t('technicianCalls')}</h2>
    ${waiting.length === 0 ? html`<p class="muted">${t('noCalls')}</p>` : null}
    <ul class="plain">
      ${waiting.map(
        (
          c,
        ) => html`<li class="call waiting" data-call=${c.id}><${Badge} kind="warn">${t('callFromRoom', { time: dateTime(c.raisedAt) })}</${Badge}>
        <button type="button" class="primary" onClick=${() => act(() => api('POST', `/technician-calls/${encodeURIComponent(c.id)}/acknowledge`)).then(() => calls.reload())}>${t('acknowledge')}</button></li>`,
      )}
      ${recent.map((c) => html`<li class="call" data-call=${c.id}>${t('callFromRoom', { time: dateTime(c.raisedAt) })} — ${t('acknowledgedAt', { time: dateTime(c.acknowledgedAt!) })}</li>`)}
    </ul>
  </article>`;
}
