import { useState } from 'preact/hooks';
import { dateTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { api, get } from '../api.js';
import { useT } from '../i18n.js';
import { word } from '../labels.js';
import { roomFields, roomInstant } from '../room-time.js';
import type { SessionRecord } from '../types.js';
import { Badge, ErrorLine, Loading, useAct, useLoad, useShell } from '../ui.js';
import { ReportView } from './report.js';
import { SessionDetail } from './session-detail.js';

const upcoming = (state: string) => state === 'scheduled' || state === 'preparing' || state === 'ready';
const stateClass: Record<string, string> = { live: 'rec', closed: 'ok', failed: 'fail', aborted: 'neutral' };

type Open =
  | { kind: 'list' }
  | { kind: 'form'; session?: SessionRecord }
  | { kind: 'detail'; id: string }
  | { kind: 'report'; id: string };

/** The schedule: every session, created, edited and cancelled here by who prepares them. */
export function ScheduleView() {
  const { t, lang } = useT();
  const { can } = useShell();
  const act = useAct();
  const [open, setOpen] = useState<Open>({ kind: 'list' });
  const list = useLoad(() => get<{ sessions: SessionRecord[] }>('/schedule'));
  const manage = can('sessions.manage');
  const back = () => {
    setOpen({ kind: 'list' });
    void list.reload();
  };
  if (open.kind === 'form') return html`<${SessionForm} session=${open.session} onDone=${back} />`;
  if (open.kind === 'detail') return html`<${SessionDetail} id=${open.id} onBack=${back} />`;
  if (open.kind === 'report') return html`<${ReportView} id=${open.id} onBack=${back} />`;
  const cancel = async (session: SessionRecord) => {
    if (!confirm(t('confirmCancel', { title: session.title }))) return;
    await act(() => api('DELETE', `/schedule/${encodeURIComponent(session.id)}`), t('sessionCancelled'));
    await list.reload();
  };
  const sessions = [...(list.data?.sessions ?? [])].sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return html`<section class="card" aria-labelledby="schedule-title">
    <div class="head"><h1 id="schedule-title">${t('scheduleTitle')}</h1>
      ${manage ? html`<button id="new-session" type="button" class="primary" onClick=${() => setOpen({ kind: 'form' })}>${t('newSession')}</button>` : null}</div>
    <${ErrorLine} error=${list.error} />
    ${
      !list.data
        ? html`<${Loading} />`
        : sessions.length === 0
          ? html`<p class="muted">${t('noSessions')}</p>`
          : html`
    <table id="sessions"><thead><tr><th scope="col">${t('title')}</th><th scope="col">${t('kind')}</th><th scope="col">${t('chairSite')}</th><th scope="col">${t('startsAt')}</th><th scope="col">${t('endsAt')}</th><th scope="col">${t('state')}</th>${manage ? html`<th scope="col">${t('actions')}</th>` : null}</tr></thead>
      <tbody>${sessions.map(
        (s) => html`<tr data-session=${s.id}>
        <td>${s.title}</td><td class="when">${t(s.kind === 'periodic' ? 'periodic' : 'adHoc')}</td><td>${s.chairSite.name}</td><td class="when">${dateTime(s.startsAt)}</td><td class="when">${dateTime(s.endsAt)}</td>
        <td><${Badge} kind=${stateClass[s.state] ?? 'neutral'}>${word('state', s.state, lang)}</${Badge}></td>
        ${
          manage
            ? html`<td class="actions">
          <button type="button" data-action="detail" onClick=${() => setOpen({ kind: 'detail', id: s.id })}>${t('details')}</button>
          ${
            upcoming(s.state)
              ? html`<button type="button" data-action="edit" onClick=${() => setOpen({ kind: 'form', session: s })}>${t('edit')}</button>
            <button type="button" data-action="cancel" class="danger" onClick=${() => cancel(s)}>${t('cancelSession')}</button>`
              : null
          }
          <button type="button" data-action="report" onClick=${() => setOpen({ kind: 'report', id: s.id })}>${t('report')}</button></td>`
            : null
        }
      </tr>`,
      )}</tbody></table>`
    }
  </section>`;
}

/** New or edited session: dd/mm/yyyy and 24-hour times, in the room's time zone. */
function SessionForm({ session, onDone }: { session?: SessionRecord; onDone: () => void }) {
  const { t } = useT();
  const act = useAct();
  const start = session ? roomFields(session.startsAt) : { date: '', time: '' };
  const end = session ? roomFields(session.endsAt) : { date: '', time: '' };
  const [fields, setFields] = useState({
    kind: session?.kind ?? 'periodic',
    title: session?.title ?? '',
    chair: session?.chairSite.name ?? '',
    date: start.date,
    from: start.time,
    to: end.time,
  });
  const [problem, setProblem] = useState('');
  const set = (name: keyof typeof fields) => (event: Event) =>
    setFields({ ...fields, [name]: (event.target as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    const startsAt = roomInstant(fields.date, fields.from);
    const endsAt = roomInstant(fields.date, fields.to);
    if (!startsAt || !endsAt) return setProblem(t('invalidDateTime'));
    if (Date.parse(endsAt) <= Date.parse(startsAt)) return setProblem(t('endBeforeStart'));
    setProblem('');
    const previous = session as
      | (SessionRecord & { chairSite: { endpoint?: unknown }; bridgePoints?: unknown[] })
      | undefined;
    const body = {
      kind: fields.kind,
      title: fields.title,
      chairSite: {
        ...(previous?.chairSite.endpoint ? { endpoint: previous.chairSite.endpoint } : {}),
        name: fields.chair,
      },
      bridgePoints: previous?.bridgePoints ?? [],
      startsAt,
      endsAt,
    };
    const ok = await act(
      () =>
        session ? api('PUT', `/schedule/${encodeURIComponent(session.id)}`, body) : api('POST', '/schedule', body),
      t('sessionSaved'),
    );
    if (ok) onDone();
  };
  return html`<section class="card" aria-labelledby="form-title">
    <div class="head"><h1 id="form-title">${t(session ? 'editSession' : 'newSession')}</h1><button type="button" onClick=${onDone}>${t('back')}</button></div>
    <form id="session-form" class="grid-form" onSubmit=${submit}>
      <label>${t('kind')}<select name="kind" value=${fields.kind} onChange=${set('kind')}><option value="periodic">${t('periodic')}</option><option value="ad-hoc">${t('adHoc')}</option></select></label>
      <label class="wide">${t('title')}<input name="title" required maxlength="300" value=${fields.title} onInput=${set('title')} /></label>
      <label class="wide">${t('chairSite')}<input name="chair" required maxlength="200" value=${fields.chair} onInput=${set('chair')} /></label>
      <label>${t('date')} (dd/mm/yyyy)<input name="date" required inputmode="numeric" placeholder="dd/mm/yyyy" value=${fields.date} onInput=${set('date')} /></label>
      <label>${t('from')} (HH:MM)<input name="from" required inputmode="numeric" placeholder="08:00" value=${fields.from} onInput=${set('from')} /></label>
      <label>${t('to')} (HH:MM)<input name="to" required inputmode="numeric" placeholder="11:00" value=${fields.to} onInput=${set('to')} /></label>
      <p class="error wide" role="alert">${problem}</p>
      <div class="wide"><button type="submit" class="primary">${t('save')}</button></div>
    </form>
  </section>`;
}
