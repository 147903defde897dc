import { useState } from 'preact/hooks';
import { calendarDate, dateTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { get } from '../api.js';
import { useT } from '../i18n.js';
import { auditAction, auditDetailText, word } from '../labels.js';
import { filterAudit, type AuditFilter } from '../audit-filter.js';
import type { AuditEntry } from '../types.js';
import { Badge, ErrorLine, Loading, useAct, useLoad } from '../ui.js';

type ChainCheck = { ok: true; entries: number } | { ok: false; entries: number; broken: { seq: number } };

/** The audit log (nhật ký truy cập): who did what, filtered; and the hash chain checked on the device. */
export function AuditView() {
  const { t, lang } = useT();
  const act = useAct();
  const log = useLoad(() => get<{ entries: AuditEntry[] }>('/evidence/audit?limit=1000'));
  const [filter, setFilter] = useState<AuditFilter>({ actor: '', action: '', from: '', to: '' });
  const [chain, setChain] = useState<ChainCheck | null>(null);
  const entries = log.data?.entries ?? [];
  const actions = [...new Set(entries.map((e) => e.action))].sort();
  const shown = filterAudit(entries, filter);
  const set = (name: keyof AuditFilter) => (event: Event) =>
    setFilter({ ...filter, [name]: (event.target as HTMLInputElement).value });
  const check = () => act(async () => setChain(await get<ChainCheck>('/evidence/audit/verify')));
  return html`<section class="card" aria-labelledby="audit-title">
    <div class="head"><h1 id="audit-title">${t('auditTitle')}</h1><button id="check-chain" type="button" class="primary" onClick=${check}>${t('checkChain')}</button></div>
    ${chain ? html`<p id="chain-result" class=${chain.ok ? 'banner ok' : 'banner fail'} role="status">${chain.ok ? t('chainOk', { entries: chain.entries }) : t('chainBroken', { seq: chain.broken.seq })}</p>` : null}
    <form class="inline-form" id="audit-filter" onSubmit=${(e: Event) => e.preventDefault()}>
      <label>${t('filterActor')}<input name="actor" value=${filter.actor} onInput=${set('actor')} /></label>
      <label>${t('action')}<select name="action" value=${filter.action} onChange=${set('action')}><option value="">${t('allActions')}</option>${actions.map((a) => html`<option value=${a}>${auditAction(a, lang)}</option>`)}</select></label>
      <label>${t('dateFrom')}<input name="from" placeholder="dd/mm/yyyy" inputmode="numeric" value=${filter.from} onInput=${set('from')} /></label>
      <label>${t('dateTo')}<input name="to" placeholder=${calendarDate(Date.now())} inputmode="numeric" value=${filter.to} onInput=${set('to')} /></label>
    </form>
    <${ErrorLine} error=${log.error} />
    ${
      !log.data
        ? html`<${Loading} />`
        : html`<p class="muted" id="audit-count">${t('entriesShown', { shown: shown.length, total: entries.length })}</p>
      ${
        shown.length === 0
          ? html`<p class="muted">${t('noEntries')}</p>`
          : html`<table id="audit"><thead><tr><th scope="col">${t('seq')}</th><th scope="col">${t('at')}</th><th scope="col">${t('actor')}</th><th scope="col">${t('role')}</th><th scope="col">${t('action')}</th><th scope="col">${t('target')}</th><th scope="col">${t('detail')}</th></tr></thead>
        <tbody>${shown.map((e) => html`<tr data-seq=${e.seq} data-action=${e.action}><td>${e.seq}</td><td class="when">${dateTime(e.at)}</td><td>${e.actor}</td><td>${word('role', e.role, lang)}</td><td><${Badge} kind="neutral">${auditAction(e.action, lang)}</${Badge}></td><td><code>${e.target}</code></td><td class="muted detail">${auditDetailText(e.detail, lang)}</td></tr>`)}</tbody></table>`
      }`
    }
  </section>`;
}
