import { dateTime } from '../../shared/format.js';
import { html, useText } from '../../shared/html.js';
import type { MessageKey } from '../../../messages/pages.js';
import type { LatestReadiness } from '../types.js';

/**
 * The equipment test: one overall verdict, the automatic 2-hour result, and only the checks that
 * need the officer's attention (each with what to do), so the panel never scrolls.
 */
export function ReadinessPanel({
  readiness,
  testing,
  connected,
  onRun,
}: {
  readiness: LatestReadiness | undefined;
  testing: boolean;
  connected: boolean;
  onRun: () => void;
}) {
  const { t, tf, lang } = useText();
  const latest = readiness?.latest;
  const twoHours = readiness?.twoHours;
  const attention = latest?.results.filter((r) => r.status === 'warn' || r.status === 'fail') ?? [];
  const passed = latest?.results.filter((r) => r.status === 'pass').length ?? 0;
  return html`<section class="panel readiness" aria-labelledby="readiness-title">
    <h2 id="readiness-title">${t('readiness')}</h2>
    ${
      testing
        ? html`<p class="verdict running">${t('readinessRunning')}</p>`
        : latest
          ? html`<p id="readiness-verdict" class=${`verdict ${latest.overall}`} data-overall=${latest.overall}>${t(`readinessVerdict_${latest.overall}`)}</p>
          <p id="readiness-at" class="run-at">${tf('readinessAt', { time: dateTime(latest.finishedAt), kind: t(`runKind_${latest.kind}` as MessageKey) })}</p>`
          : html`<p class="empty">${t('readinessNone')}</p>`
    }
    <p id="readiness-two-hours" class="run-at">${twoHours ? tf('readinessTwoHours', { verdict: t(`result_${twoHours.overall}`), time: dateTime(twoHours.finishedAt) }) : t('readinessTwoHoursNone')}</p>
    ${
      latest && !testing
        ? html`<ul id="readiness-results" class="checks">
          ${attention.map(
            (result) => html`<li data-check=${result.id} class=${result.status}>
            <span class="check-name">${t(`check_${result.id}` as MessageKey)}</span>
            <span class=${`badge ${result.status}`}>${t(`result_${result.status}`)}</span>
            <span class="explanation">${result.explanation[lang]}</span>
          </li>`,
          )}
          ${passed ? html`<li class="pass summary" data-check="passed"><span class="check-name">${tf('readinessAllPass', { count: passed })}</span></li>` : null}
        </ul>`
        : null
    }
    <div class="actions">
      <button id="run-readiness" class="button" type="button" disabled=${testing || !connected} onClick=${onRun}>${t('runReadiness')}</button>
    </div>
  </section>`;
}
