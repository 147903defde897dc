import { useEffect, useRef, useState } from 'preact/hooks';
import { clockTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { get } from '../api.js';
import { useT } from '../i18n.js';
import { word } from '../labels.js';
import type { LogLine } from '../types.js';
import { ErrorLine, useLoad } from '../ui.js';

const levelClass = (level: number | null) => (level === null ? '' : level >= 50 ? 'fail' : level >= 40 ? 'warn' : '');

/** The daemon's newest log lines (redacted by the daemon), refreshed every 2 s unless paused. */
export function LogsView() {
  const { t, lang } = useT();
  const [paused, setPaused] = useState(false);
  const logs = useLoad(() => get<{ lines: LogLine[] }>('/logs/recent?count=300'), [paused], paused ? undefined : 2000);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!paused && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [logs.data, paused]);
  return html`<section class="card" aria-labelledby="logs-title">
    <div class="head"><h1 id="logs-title">${t('logsTitle')}</h1><button id="logs-pause" type="button" onClick=${() => setPaused(!paused)}>${t(paused ? 'logsResume' : 'logsPause')}</button></div>
    <${ErrorLine} error=${logs.error} />
    <div class="log-box" ref=${box} tabindex="0" role="log" aria-label=${t('logsTitle')}>
      <table id="log-lines"><thead><tr><th scope="col">${t('time')}</th><th scope="col">${t('level')}</th><th scope="col">${t('component')}</th><th scope="col">${t('message')}</th></tr></thead>
        <tbody>${(logs.data?.lines ?? []).map(
          (
            l,
          ) => html`<tr class=${levelClass(l.level)}><td>${l.at ? `${clockTime(l.at)}:${l.at.slice(17, 19)}` : ''}</td><td>${word('level', l.level, lang)}</td><td>${l.component ?? ''}</td>
          <td><span>${l.msg}</span> ${Object.keys(l.context).length ? html`<code class="context">${JSON.stringify(l.context)}</code>` : null}</td></tr>`,
        )}</tbody></table>
    </div>
  </section>`;
}
