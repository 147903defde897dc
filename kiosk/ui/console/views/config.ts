import { useState } from 'preact/hooks';
import { html } from '../../shared/html.js';
import { api, get } from '../api.js';
import { configLeaves, parseLeaf } from '../config-leaves.js';
import { useT } from '../i18n.js';
import { Badge, ErrorLine, Loading, useAct, useLoad } from '../ui.js';

interface ConfigAnswer {
  config: unknown;
  editable: boolean;
  pendingRestart: string[];
}

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The configuration as the daemon would run it; an administrator edits a field, validated by the daemon's schema. */
export function ConfigView() {
  const { t } = useT();
  const act = useAct();
  const answer = useLoad(() => get<ConfigAnswer>('/config'));
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<{ path: string; text: string } | null>(null);
  const data = answer.data;
  const rows = data
    ? configLeaves(data.config).filter(([path]) => path.toLowerCase().includes(query.toLowerCase()))
    : [];
  const save = async (path: string, previous: unknown) => {
    const ok = await act(
      () => api('PUT', '/config', { changes: [{ path, value: parseLeaf(editing!.text, previous) }] }),
      t('configSaved'),
    );
    if (ok) {
      setEditing(null);
      await answer.reload();
    }
  };
  return html`<section class="card" aria-labelledby="config-title">
    <h1 id="config-title">${t('configTitle')}</h1>
    <p class="banner warn">${t('configNote')}</p>
    ${data && !data.editable ? html`<p class="muted">${t('configReadOnly')}</p>` : null}
    <${ErrorLine} error=${answer.error} />
    <label class="search">${t('configFilter')}<input id="config-filter" type="search" value=${query} onInput=${(e: Event) => setQuery((e.target as HTMLInputElement).value)} /></label>
    ${
      !data
        ? html`<${Loading} />`
        : html`<table id="config"><thead><tr><th scope="col">${t('setting')}</th><th scope="col">${t('value')}</th><th scope="col">${t('state')}</th>${data.editable ? html`<th scope="col">${t('actions')}</th>` : null}</tr></thead>
      <tbody>${rows.map(
        ([path, value]) => html`<tr data-path=${path}>
        <td><code>${path}</code></td>
        <td>${editing?.path === path ? html`<input aria-label=${path} class="value" value=${editing.text} onInput=${(e: Event) => setEditing({ path, text: (e.target as HTMLInputElement).value })} />` : html`<code class="value">${shown(value)}</code>`}</td>
        <td>${data.pendingRestart.includes(path) ? html`<${Badge} kind="warn">${t('restartPending')}</${Badge}>` : null}</td>
        ${
          data.editable
            ? html`<td>${
                editing?.path === path
                  ? html`<button type="button" class="primary" data-action="save" onClick=${() => save(path, value)}>${t('save')}</button> <button type="button" onClick=${() => setEditing(null)}>${t('cancel')}</button>`
                  : html`<button type="button" data-action="edit" onClick=${() => setEditing({ path, text: shown(value) })}>${t('edit')}</button>`
              }</td>`
            : null
        }
      </tr>`,
      )}</tbody></table>`
    }
  </section>`;
}
