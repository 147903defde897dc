import { useState } from 'preact/hooks';
import { dateTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { api, get } from '../api.js';
import { useT } from '../i18n.js';
import { longDuration, preciseDateTime, word } from '../labels.js';
import type { ReadinessRun, SessionReport, VerifyReport } from '../types.js';
import { Badge, ErrorLine, Loading, useLoad, useShell } from '../ui.js';

/**
 * The session report (biên bản): the timeline with its gaps, the readiness runs, the recording's
 * fingerprint; printed on A4 for the file (styles.css, @media print). Identities as the daemon masks them.
 */
export function ReportView({ id, onBack }: { id: string; onBack: () => void }) {
  const { t, lang } = useT();
  const { can } = useShell();
  const [room] = useState(() => document.getElementById('room')?.textContent ?? '');
  const report = useLoad(() => get<SessionReport>(`/sessions/${encodeURIComponent(id)}/report`), [id]);
  const runs = useLoad(
    () => get<{ runs: ReadinessRun[] }>(`/readiness?sessionId=${encodeURIComponent(id)}&limit=20`),
    [id],
  );
  const recordingId = report.data?.session.recordingId;
  const integrity = useLoad(
    async () =>
      recordingId && can('recordings.read')
        ? api<VerifyReport>('POST', `/evidence/recordings/${encodeURIComponent(recordingId)}/verify`)
        : null,
    [recordingId],
  );
  const r = report.data;
  if (!r) return html`<section class="card"><${ErrorLine} error=${report.error} /><${Loading} /></section>`;
  const s = r.session;
  const v = integrity.data;
  const started = r.events.find((e) => e.type === 'started');
  const ended = [...r.events].reverse().find((e) => e.type === 'ended');
  return html`<section class="card report" id="report" aria-labelledby="report-title">
    <div class="head no-print"><button type="button" onClick=${onBack}>${t('back')}</button><button id="print" type="button" class="primary" onClick=${() => print()}>${t('print')}</button></div>
    <header class="report-head">
      <p class="motto">${t('mottoNation')}<br /><span>${t('mottoWords')}</span></p>
      <h1 id="report-title">${t('reportTitle')}</h1>
      <p><strong>${s.title}</strong></p>
    </header>
    <dl class="facts">
      <dt>${t('reportRoom')}</dt><dd>${room}</dd>
      <dt>${t('chairSite')}</dt><dd>${s.chairSite.name}</dd>
      <dt>${t('scheduledTime')}</dt><dd>${dateTime(s.startsAt)} – ${dateTime(s.endsAt)}</dd>
      ${started ? html`<dt>${t('actualStart')}</dt><dd>${preciseDateTime(started.at)}</dd>` : null}
      ${ended ? html`<dt>${t('actualEnd')}</dt><dd>${preciseDateTime(ended.at)}</dd>` : null}
      <dt>${t('state')}</dt><dd>${s.stateLabel[lang]}</dd>
    </dl>
    <h2>${t('cases')}</h2>
    ${
      s.cases.length === 0
        ? html`<p>${t('noCases')}</p>`
        : html`<ol class="cases">${s.cases.map(
            (
              c,
            ) => html`<li>${c.typeLabel[lang]}${c.confidential ? ` (${t('confidentialMark')})` : ''}: ${c.summary ?? t('confidentialHidden')}
      <ul>${c.citizens.map((z) => html`<li>${z.roleLabel[lang]}: ${z.displayName} — ${word('attendance', z.attendance, lang)}</li>`)}</ul></li>`,
          )}</ol>`
    }
    <h2>${t('timeline')}</h2>
    <p id="gaps" class=${r.gapSeconds > 0 ? 'warn-text' : ''}>${r.gapSeconds > 0 ? t('gapsTotal', { duration: longDuration(r.gapSeconds, lang) }) : t('noGaps')}</p>
    <table id="timeline"><thead><tr><th scope="col">${t('at')}</th><th scope="col">${t('event')}</th><th scope="col">${t('actor')}</th></tr></thead>
      <tbody>${r.events.map((e) => html`<tr class=${e.type === 'gap' ? 'gap' : ''} data-event=${e.type}><td>${preciseDateTime(e.at)}</td><td>${e.label[lang]}${e.detail ? html`<br /><span class="muted">${e.detail[lang]}</span>` : null}</td><td>${e.actor ?? ''}</td></tr>`)}</tbody></table>
    <h2>${t('readinessRuns')}</h2>
    ${
      (runs.data?.runs ?? []).length === 0
        ? html`<p>${t('noRuns')}</p>`
        : html`<table><thead><tr><th scope="col">${t('at')}</th><th scope="col">${t('kind')}</th><th scope="col">${t('state')}</th></tr></thead>
      <tbody>${runs.data!.runs.map((run) => html`<tr><td>${dateTime(run.finishedAt ?? run.startedAt)}</td><td>${word('runKind', run.kind, lang)}</td><td><${Badge} kind=${run.overall}>${word('result', run.overall, lang)}</${Badge}></td></tr>`)}</tbody></table>`
    }
    <h2>${t('fingerprint')}</h2>
    ${
      !recordingId
        ? html`<p>${t('noRecordingYet')}</p>`
        : !can('recordings.read')
          ? null
          : !v
            ? html`<${ErrorLine} error=${integrity.error} />${integrity.error ? null : html`<${Loading} />`}`
            : html`
      <p id="integrity"><${Badge} kind=${v.ok ? 'ok' : 'fail'}>${v.ok ? t('verifyResult_ok', { segments: v.segments }) : t('verifyResult_bad', { count: v.findings.length })}</${Badge}></p>
      <dl class="facts mono"><dt>${t('chainHead')}</dt><dd id="chain-head">${v.chainHead ?? '—'}</dd><dt>${t('signingKey')}</dt><dd>${v.fingerprint ?? '—'}</dd></dl>`
    }
    <p class="muted">${t('reportGenerated', { time: dateTime(r.generatedAt) })}</p>
    <div class="signatures"><div><strong>${t('signChair')}</strong><br /><span class="muted">${t('signHint')}</span></div><div><strong>${t('signTechnician')}</strong><br /><span class="muted">${t('signHint')}</span></div></div>
  </section>`;
}
