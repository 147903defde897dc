import { useState } from 'preact/hooks';
import { dateTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { api, get } from '../api.js';
import { useT } from '../i18n.js';
import { word } from '../labels.js';
import type { ReadinessRun } from '../types.js';
import { Badge, ErrorLine, Loading, useAct, useLoad, useShell } from '../ui.js';

/** Readiness runs (kiểm thử): the latest first, each check with its explanation in the room's words. */
export function ReadinessView() {
  const { t, lang } = useT();
  const { can } = useShell();
  const act = useAct();
  const [running, setRunning] = useState(false);
  const runs = useLoad(() => get<{ runs: ReadinessRun[] }>('/readiness?limit=20'));
  const runNow = async () => {
    setRunning(true);
    await act(() => api('POST', '/readiness/run'));
    setRunning(false);
    await runs.reload();
  };
  return html`<section class="card" aria-labelledby="readiness-title">
    <div class="head"><h1 id="readiness-title">${t('tabReadiness')}</h1>
      ${can('devices.manage') ? html`<button id="run-readiness" type="button" class="primary" disabled=${running} onClick=${runNow}>${running ? t('readinessRunning') : t('runReadiness')}</button>` : null}</div>
    <${ErrorLine} error=${runs.error} />
    ${
      !runs.data
        ? html`<${Loading} />`
        : runs.data.runs.length === 0
          ? html`<p class="muted">${t('noRuns')}</p>`
          : html`<div id="readiness-runs">
      ${runs.data.runs.map(
        (run) => html`<details data-run=${run.id}>
        <summary><${Badge} kind=${run.overall}>${word('result', run.overall, lang)}</${Badge}> ${dateTime(run.finishedAt ?? run.startedAt)} · ${word('runKind', run.kind, lang)}</summary>
        <table><thead><tr><th scope="col">${t('readiness')}</th><th scope="col">${t('state')}</th><th scope="col">${t('detail')}</th></tr></thead>
          <tbody>${run.results.map((r) => html`<tr><td>${word('check', r.id, lang)}</td><td><${Badge} kind=${r.status}>${word('result', r.status, lang)}</${Badge}></td><td class="muted">${r.explanation[lang]}</td></tr>`)}</tbody></table>
      </details>`,
      )}</div>`
    }
  </section>`;
}
