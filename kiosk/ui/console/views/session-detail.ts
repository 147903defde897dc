import { useState } from 'preact/hooks';
import { dateTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { api, get } from '../api.js';
import { useT } from '../i18n.js';
import { word } from '../labels.js';
import type { CaseView, CitizenView, SessionView } from '../types.js';
import { Badge, ErrorLine, Loading, useAct, useLoad, useShell } from '../ui.js';

interface Identity {
  name: string;
  idNumber?: string;
  address?: string;
  phone?: string;
}

/** A session's cases and citizens. Identities are masked as the daemon decides; a reveal is one audited read. */
export function SessionDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const { t, lang } = useT();
  const view = useLoad(() => get<{ session: SessionView }>(`/schedule/${encodeURIComponent(id)}`), [id]);
  const session = view.data?.session;
  return html`<section class="card" aria-labelledby="detail-title">
    <div class="head"><h1 id="detail-title">${session?.title ?? t('loading')}</h1><button type="button" onClick=${onBack}>${t('back')}</button></div>
    <${ErrorLine} error=${view.error} />
    ${
      !session
        ? html`<${Loading} />`
        : html`
      <p>${dateTime(session.startsAt)} – ${dateTime(session.endsAt)} · ${session.chairSite.name} · ${word('state', session.state, lang)}</p>
      <h2>${t('cases')}</h2>
      ${session.cases.length === 0 ? html`<p class="muted">${t('noCases')}</p>` : session.cases.map((c) => html`<${CaseCard} item=${c} onChanged=${view.reload} />`)}
      <${CaseForm} sessionId=${session.id} onAdded=${view.reload} />`
    }
  </section>`;
}

function CaseCard({ item, onChanged }: { item: CaseView; onChanged: () => Promise<void> }) {
  const { t, lang } = useT();
  return html`<article class="case" data-case=${item.id}>
    <h3>${item.position}. ${item.typeLabel[lang]} ${item.confidential ? html`<${Badge} kind="fail">${t('confidentialMark')}</${Badge}>` : null}</h3>
    <p>${item.summary ?? html`<em class="muted">${t('confidentialHidden')}</em>`}</p>
    <table><thead><tr><th scope="col">#</th><th scope="col">${t('citizenRole')}</th><th scope="col">${t('fullName')}</th><th scope="col">${t('attendance')}</th><th scope="col">${t('actions')}</th></tr></thead>
      <tbody>${item.citizens.map((c) => html`<${CitizenRow} citizen=${c} onChanged=${onChanged} />`)}</tbody></table>
    <${CitizenForm} caseId=${item.id} onAdded=${onChanged} />
  </article>`;
}

function CitizenRow({ citizen, onChanged }: { citizen: CitizenView; onChanged: () => Promise<void> }) {
  const { t, lang } = useT();
  const { can } = useShell();
  const act = useAct();
  const [identity, setIdentity] = useState<Identity | null>(null);
  const mayReveal = !citizen.masked || can('identities.read');
  const reveal = () =>
    act(async () =>
      setIdentity((await get<{ identity: Identity }>(`/citizens/${encodeURIComponent(citizen.id)}/identity`)).identity),
    );
  const attend = (event: Event) =>
    act(() =>
      api('PUT', `/citizens/${encodeURIComponent(citizen.id)}/attendance`, {
        attendance: (event.target as HTMLSelectElement).value,
      }),
    ).then(onChanged);
  return html`<tr data-citizen=${citizen.id}>
    <td>${citizen.position}</td><td>${citizen.roleLabel[lang]}</td>
    <td class="identity">${
      identity
        ? html`<strong>${identity.name}</strong>${identity.idNumber ? html`<br />${t('idNumber')}: ${identity.idNumber}` : null}${identity.address ? html`<br />${t('address')}: ${identity.address}` : null}${identity.phone ? html`<br />${t('phone')}: ${identity.phone}` : null}`
        : html`${citizen.displayName} ${citizen.masked ? html`<${Badge} kind="neutral">${t('masked')}</${Badge}>` : null}`
    }</td>
    <td><select aria-label=${t('attendance')} value=${citizen.attendance} onChange=${attend}>${(['expected', 'present', 'absent'] as const).map((a) => html`<option value=${a}>${word('attendance', a, lang)}</option>`)}</select></td>
    <td>${identity ? html`<button type="button" onClick=${() => setIdentity(null)}>${t('hide')}</button>` : mayReveal ? html`<button type="button" data-action="reveal" title=${t('revealNote')} onClick=${reveal}>${t('reveal')}</button>` : null}</td>
  </tr>`;
}

function CaseForm({ sessionId, onAdded }: { sessionId: string; onAdded: () => Promise<void> }) {
  const { t } = useT();
  const act = useAct();
  const [type, setType] = useState<'KN' | 'TC' | 'KNPA'>('KN');
  const [summary, setSummary] = useState('');
  const [confidential, setConfidential] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await act(
      () =>
        api('POST', `/schedule/${encodeURIComponent(sessionId)}/cases`, {
          type,
          summary,
          confidential: type === 'TC' || confidential,
        }),
      t('saved'),
    );
    if (ok) {
      setSummary('');
      await onAdded();
    }
  };
  return html`<form class="inline-form" id="case-form" onSubmit=${submit}>
    <h3>${t('addCase')}</h3>
    <label>${t('caseType')}<select name="type" value=${type} onChange=${(e: Event) => setType((e.target as HTMLSelectElement).value as typeof type)}>
      ${(['KN', 'TC', 'KNPA'] as const).map((k) => html`<option value=${k}>${t(`caseType_${k}`)}</option>`)}</select></label>
    <label class="wide">${t('summary')}<input name="summary" required maxlength="4000" value=${summary} onInput=${(e: Event) => setSummary((e.target as HTMLInputElement).value)} /></label>
    <label class="check"><input type="checkbox" name="confidential" checked=${type === 'TC' || confidential} disabled=${type === 'TC'} onChange=${(e: Event) => setConfidential((e.target as HTMLInputElement).checked)} />${t('confidentialCase')}</label>
    <button type="submit">${t('add')}</button>
  </form>`;
}

function CitizenForm({ caseId, onAdded }: { caseId: string; onAdded: () => Promise<void> }) {
  const { t } = useT();
  const act = useAct();
  const empty = { role: 'complainant', name: '', idNumber: '', address: '', phone: '' };
  const [fields, setFields] = useState(empty);
  const set = (name: keyof typeof empty) => (event: Event) =>
    setFields({ ...fields, [name]: (event.target as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    const identity = Object.fromEntries(
      Object.entries({
        name: fields.name,
        idNumber: fields.idNumber,
        address: fields.address,
        phone: fields.phone,
      }).filter(([, v]) => v.trim() !== ''),
    );
    const ok = await act(
      () => api('POST', `/cases/${encodeURIComponent(caseId)}/citizens`, { role: fields.role, identity }),
      t('saved'),
    );
    if (ok) {
      setFields(empty);
      await onAdded();
    }
  };
  return html`<form class="inline-form citizen-form" onSubmit=${submit}>
    <label>${t('citizenRole')}<select name="role" value=${fields.role} onChange=${set('role')}>${(['complainant', 'denouncer', 'petitioner', 'representative'] as const).map((r) => html`<option value=${r}>${t(`citizenRole_${r}`)}</option>`)}</select></label>
    <label>${t('fullName')}<input name="name" required maxlength="200" autocomplete="off" value=${fields.name} onInput=${set('name')} /></label>
    <label>${t('idNumber')}<input name="idNumber" maxlength="40" autocomplete="off" value=${fields.idNumber} onInput=${set('idNumber')} /></label>
    <label>${t('address')}<input name="address" maxlength="400" autocomplete="off" value=${fields.address} onInput=${set('address')} /></label>
    <label>${t('phone')}<input name="phone" maxlength="40" autocomplete="off" value=${fields.phone} onInput=${set('phone')} /></label>
    <button type="submit">${t('addCitizen')}</button>
  </form>`;
}
