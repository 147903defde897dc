import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, get } from '../api.js';
import { errorText } from '../errors.js';
import { useT } from '../i18n.js';
import type { Me } from '../types.js';

export function LoginView({ onLoggedIn }: { onLoggedIn: (me: Me) => void }) {
  const { t, lang } = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api('POST', '/auth/login', { username, password });
      setPassword('');
      onLoggedIn(await get<Me>('/auth/me'));
    } catch (caught) {
      setError(`${t('loginFailed')}: ${errorText(caught, lang)}`);
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="login">
    <form id="login-form" class="card narrow" onSubmit=${submit}>
      <h1>${t('loginTitle')}</h1>
      <p class="muted">${t('loginHint')}</p>
      <label>${t('username')}<input id="username" name="username" autocomplete="username" required value=${username} onInput=${(e: Event) => setUsername((e.target as HTMLInputElement).value)} /></label>
      <label>${t('password')}<input id="password" name="password" type="password" autocomplete="current-password" required value=${password} onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" class="primary" disabled=${busy}>${t('login')}</button>
      <p id="login-error" class="error" role="alert">${error}</p>
    </form>
  </main>`;
}
