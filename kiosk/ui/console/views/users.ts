import { useState } from 'preact/hooks';
import { dateTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { api, get } from '../api.js';
import { useT } from '../i18n.js';
import { word } from '../labels.js';
import type { Role } from '../capabilities.js';
import type { ConsoleUser, IdentityRequest } from '../types.js';
import { Badge, ErrorLine, useAct, useLoad, useShell } from '../ui.js';

const roleList: readonly Role[] = ['admin', 'technician', 'officer', 'officer-confidential', 'leader', 'viewer'];

/**
 * Accounts and roles (administrator), and the requests that wait for a second holder of the
 * identity right: a role that reads denouncers' identities is granted only with that approval.
 */
export function UsersView() {
  const { can } = useShell();
  // An account created for a cleared role becomes a request: the list below reloads.
  const [requested, setRequested] = useState(0);
  return html`<div>
    ${can('users.manage') ? html`<${UserList} onRequested=${() => setRequested((n) => n + 1)} />` : null}
    <${PendingRequests} version=${requested} />
  </div>`;
}

function UserList({ onRequested }: { onRequested: () => void }) {
  const { t, lang } = useT();
  const act = useAct();
  const users = useLoad(() => get<{ users: ConsoleUser[] }>('/users'));
  const [form, setForm] = useState({ username: '', displayName: '', role: 'officer' as Role, password: '' });
  const set = (name: keyof typeof form) => (event: Event) =>
    setForm({ ...form, [name]: (event.target as HTMLInputElement).value });
  const cleared = form.role === 'officer-confidential' || form.role === 'leader';
  const add = async (event: Event) => {
    event.preventDefault();
    const body = {
      username: form.username,
      role: form.role,
      ...(form.displayName ? { displayName: form.displayName } : {}),
      ...(form.password && !cleared ? { password: form.password } : {}),
    };
    const outcome = await act(() => api('POST', '/users', body), t(cleared ? 'requestSent' : 'userSaved'));
    if (outcome) {
      setForm({ username: '', displayName: '', role: 'officer', password: '' });
      if (cleared) onRequested();
      await users.reload();
    }
  };
  const toggle = (user: ConsoleUser) =>
    act(
      () => api('PUT', `/users/${encodeURIComponent(user.username)}/disabled`, { disabled: !user.disabled }),
      t('userSaved'),
    ).then(() => users.reload());
  return html`<section class="card" aria-labelledby="users-title">
    <h1 id="users-title">${t('usersTitle')}</h1>
    <${ErrorLine} error=${users.error} />
    <table id="users"><thead><tr><th scope="col">${t('username')}</th><th scope="col">${t('displayName')}</th><th scope="col">${t('role')}</th><th scope="col">${t('accountState')}</th><th scope="col">${t('actions')}</th></tr></thead>
      <tbody>${(users.data?.users ?? []).map(
        (
          u,
        ) => html`<tr data-user=${u.username}><td>${u.username}</td><td>${u.displayName}</td><td>${word('role', u.role, lang)}</td>
        <td><${Badge} kind=${u.disabled ? 'neutral' : 'ok'}>${t(u.disabled ? 'disabled' : 'active')}</${Badge}></td>
        <td><button type="button" onClick=${() => toggle(u)}>${t(u.disabled ? 'enable' : 'disable')}</button></td></tr>`,
      )}</tbody></table>
    <form class="inline-form" id="user-form" onSubmit=${add}>
      <h2>${t('addUser')}</h2>
      <label>${t('username')}<input name="username" required maxlength="64" autocomplete="off" value=${form.username} onInput=${set('username')} /></label>
      <label>${t('displayName')}<input name="displayName" maxlength="120" value=${form.displayName} onInput=${set('displayName')} /></label>
      <label>${t('role')}<select name="role" value=${form.role} onChange=${set('role')}>${roleList.map((r) => html`<option value=${r}>${word('role', r, lang)}</option>`)}</select></label>
      ${cleared ? html`<p class="muted">${t('clearedRoleNote')}</p>` : html`<label>${t('newPassword')}<input name="password" type="password" autocomplete="new-password" required value=${form.password} onInput=${set('password')} /></label>`}
      <button type="submit" class="primary">${t('addUser')}</button>
    </form>
  </section>`;
}

function PendingRequests({ version }: { version: number }) {
  const { t, lang } = useT();
  const { can } = useShell();
  const act = useAct();
  const requests = useLoad(() => get<{ requests: IdentityRequest[] }>('/users/requests'), [version]);
  const [passwords, setPasswords] = useState<Record<number, { mine: string; theirs: string }>>({});
  const entry = (id: number) => passwords[id] ?? { mine: '', theirs: '' };
  const approve = (r: IdentityRequest) =>
    act(
      () =>
        api('POST', `/users/requests/${r.id}/approve`, {
          approverPassword: entry(r.id).mine,
          ...(entry(r.id).theirs ? { password: entry(r.id).theirs } : {}),
        }),
      t('userSaved'),
    ).then(() => requests.reload());
  const refuse = (r: IdentityRequest) =>
    act(() => api('POST', `/users/requests/${r.id}/refuse`), t('saved')).then(() => requests.reload());
  const list = requests.data?.requests ?? [];
  return html`<section class="card" aria-labelledby="requests-title">
    <h2 id="requests-title">${t('pendingRequests')}</h2>
    <${ErrorLine} error=${requests.error} />
    ${
      list.length === 0
        ? html`<p class="muted">${t('noRequests')}</p>`
        : html`<table id="requests"><thead><tr><th scope="col">${t('kind')}</th><th scope="col">${t('username')}</th><th scope="col">${t('role')}</th><th scope="col">${t('requestedBy')}</th><th scope="col">${t('at')}</th><th scope="col">${t('actions')}</th></tr></thead>
      <tbody>${list.map(
        (
          r,
        ) => html`<tr data-request=${r.id}><td>${word('requestKind', r.kind, lang)}</td><td>${r.username}</td><td>${word('role', r.role, lang)}</td><td>${r.requestedBy}</td><td>${dateTime(r.requestedAt)}</td>
        <td>${
          can('identities.read')
            ? html`<label>${t('yourPassword')}<input type="password" autocomplete="current-password" value=${entry(r.id).mine} onInput=${(e: Event) => setPasswords({ ...passwords, [r.id]: { ...entry(r.id), mine: (e.target as HTMLInputElement).value } })} /></label>
          ${r.kind !== 'enable' ? html`<label>${t('newPassword')}<input type="password" autocomplete="new-password" value=${entry(r.id).theirs} onInput=${(e: Event) => setPasswords({ ...passwords, [r.id]: { ...entry(r.id), theirs: (e.target as HTMLInputElement).value } })} /></label>` : null}
          <button type="button" class="primary" onClick=${() => approve(r)}>${t('approve')}</button>`
            : null
        }
          <button type="button" class="danger" onClick=${() => refuse(r)}>${t('refuse')}</button></td></tr>`,
      )}</tbody></table>`
    }
  </section>`;
}
