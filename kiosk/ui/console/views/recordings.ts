import { useEffect, useRef, useState } from 'preact/hooks';
import { dateTime } from '../../shared/format.js';
import { html } from '../../shared/html.js';
import { api, ApiError, get } from '../api.js';
import { errorText } from '../errors.js';
import { useT } from '../i18n.js';
import { bytes, clockDuration, word } from '../labels.js';
import type { Drive, ExportResult, Recording, SessionRecord, VerifyReport } from '../types.js';
import { Badge, ErrorLine, Loading, useLoad, useShell } from '../ui.js';

type Verdict = { kind: 'ok' | 'bad' | 'busy' | 'error'; text: string; reasons?: string[] };

/** Recordings by session: play in the browser, verify with the reason, export to a detected drive. */
export function RecordingsView() {
  const { t, lang } = useT();
  const { can } = useShell();
  const recordings = useLoad(() => get<{ recordings: Recording[] }>('/evidence/recordings'), [], 10_000);
  const sessions = useLoad(() => get<{ sessions: SessionRecord[] }>('/schedule'));
  const [playing, setPlaying] = useState<Recording | null>(null);
  const [exporting, setExporting] = useState<Recording | null>(null);
  const [verdicts, setVerdicts] = useState<Record<string, Verdict>>({});
  const titles = new Map((sessions.data?.sessions ?? []).map((s) => [s.id, s.title]));
  const list = [...(recordings.data?.recordings ?? [])].sort((a, b) => b.startedAt.localeCompare(a.startedAt));

  const verify = async (r: Recording) => {
    if (r.state === 'recording')
      return setVerdicts((v) => ({ ...v, [r.id]: { kind: 'busy', text: t('verifyInProgress') } }));
    setVerdicts((v) => ({ ...v, [r.id]: { kind: 'busy', text: t('loading') } }));
    try {
      const report = await api<VerifyReport>('POST', `/evidence/recordings/${encodeURIComponent(r.id)}/verify`);
      const reasons = report.findings.map((f) => `${f.file}: ${word('finding', f.reason, lang)}`);
      // A folder with no segment matches its (empty) manifest, but a recording of nothing is not intact evidence.
      const verdict: Verdict =
        report.ok && report.segments === 0
          ? { kind: 'bad', text: t('verifyEmpty') }
          : report.ok
            ? { kind: 'ok', text: t('verifyResult_ok', { segments: report.segments }) }
            : { kind: 'bad', text: t('verifyResult_bad', { count: report.findings.length }), reasons };
      setVerdicts((v) => ({ ...v, [r.id]: verdict }));
    } catch (error) {
      setVerdicts((v) => ({ ...v, [r.id]: { kind: 'error', text: errorText(error, lang) } }));
    }
  };

  return html`<section class="card" aria-labelledby="recordings-title">
    <div class="head"><h1 id="recordings-title">${t('recordingsTitle')}</h1><button type="button" onClick=${() => recordings.reload()}>${t('refresh')}</button></div>
    <${ErrorLine} error=${recordings.error} />
    ${playing ? html`<${Player} recording=${playing} title=${titles.get(playing.sessionId ?? '') ?? t('untitled')} onClose=${() => setPlaying(null)} />` : null}
    ${
      exporting
        ? html`<${ExportPanel} recording=${exporting} title=${titles.get(exporting.sessionId ?? '') ?? t('untitled')} onClose=${() => {
            setExporting(null);
            void recordings.reload();
          }} />`
        : null
    }
    ${
      !recordings.data
        ? html`<${Loading} />`
        : list.length === 0
          ? html`<p class="muted">${t('noRecordings')}</p>`
          : html`
    <table id="recordings"><thead><tr><th scope="col">${t('sessionTitle')}</th><th scope="col">${t('date')}</th><th scope="col">${t('duration')}</th><th scope="col">${t('size')}</th><th scope="col">${t('state')}</th><th scope="col">${t('actions')}</th></tr></thead>
      <tbody>${list.map((r) => {
        const verdict = verdicts[r.id];
        return html`<tr data-recording=${r.id}>
          <td class="title">${titles.get(r.sessionId ?? '') ?? t('untitled')} ${r.confidential ? html`<${Badge} kind="fail">${t('confidentialMark')}</${Badge}>` : null}</td>
          <td class="when">${dateTime(r.startedAt)}</td>
          <td class="duration">${r.mediaSeconds === null ? '—' : clockDuration(r.mediaSeconds)}</td>
          <td>${bytes(r.bytes, lang)}</td>
          <td class="state"><${Badge} kind=${r.state === 'recording' ? 'rec' : r.state === 'closed' ? 'ok' : 'warn'}>${word('recState', r.state, lang)}</${Badge}>${r.verifiedExport ? html` <${Badge} kind="neutral">${t('exportedMark')}</${Badge}>` : null}</td>
          <td class="actions">
            <button type="button" data-action="play" disabled=${r.bytes === 0} onClick=${() => setPlaying(r)}>${t('play')}</button>
            <button type="button" data-action="verify" onClick=${() => verify(r)}>${t('verify')}</button>
            ${can('recordings.export') ? html`<button type="button" data-action="export" disabled=${r.state === 'recording'} onClick=${() => setExporting(r)}>${t('export')}</button>` : null}
            ${
              verdict
                ? html`<div class="verdict" role="status"><${Badge} kind=${verdict.kind === 'ok' ? 'ok' : verdict.kind === 'busy' ? 'neutral' : 'fail'}>${verdict.text}</${Badge}>
              ${verdict.reasons ? html`<ul class="reasons">${verdict.reasons.map((x) => html`<li>${x}</li>`)}</ul>` : null}</div>`
                : null
            }
          </td></tr>`;
      })}</tbody></table>`
    }
  </section>`;
}

/** The recording as an MP4 the daemon remuxes once and serves with Range: the player seeks anywhere in it. */
function Player({ recording, title, onClose }: { recording: Recording; title: string; onClose: () => void }) {
  const { t, lang } = useT();
  const [error, setError] = useState('');
  const video = useRef<HTMLVideoElement>(null);
  const src = `/api/evidence/recordings/${encodeURIComponent(recording.id)}/playback.mp4`;
  useEffect(() => {
    // A refusal (confidential, busy) comes back as JSON the <video> cannot show: ask once for the words.
    const element = video.current;
    const onError = () =>
      fetch(src, { method: 'GET', headers: { range: 'bytes=0-0' } }).then(
        async (r) => {
          const body = await r.json().catch(() => undefined);
          setError(errorText(new ApiError(r.status, String(body?.error?.code ?? 'playback_failed')), lang));
        },
        () => setError(t('err_network')),
      );
    element?.addEventListener('error', onError);
    return () => element?.removeEventListener('error', onError);
  }, [src]);
  return html`<div class="player" id="player">
    <div class="head"><h2>${title} · ${dateTime(recording.startedAt)}</h2><button type="button" onClick=${onClose}>${t('closePlayer')}</button></div>
    <video ref=${video} src=${src} controls autoplay muted playsinline width="960" height="540" aria-label=${`${t('play')}: ${title}`}></video>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
  </div>`;
}

/** Export to a drive the daemon detected (never a typed path): progress, then the copy verified in place. */
function ExportPanel({ recording, title, onClose }: { recording: Recording; title: string; onClose: () => void }) {
  const { t, lang } = useT();
  const { can } = useShell();
  const drives = useLoad(() => get<{ drives: Drive[] }>('/evidence/drives'));
  const [drive, setDrive] = useState<string>('');
  const [passphrase, setPassphrase] = useState('');
  const [encrypt, setEncrypt] = useState(false);
  const [progress, setProgress] = useState<{ bytes: number; totalBytes: number } | null>(null);
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const choices = drives.data?.drives ?? [];
  const chosen = drive || choices[0]?.mountPoint || '';
  const encrypted = recording.confidential || encrypt;
  const start = async () => {
    setBusy(true);
    setOutcome(null);
    const poll = window.setInterval(() => {
      get<{ bytes: number; totalBytes: number }>(
        `/evidence/recordings/${encodeURIComponent(recording.id)}/export-progress?to=${encodeURIComponent(chosen)}&encrypt=${encrypted ? 1 : 0}`,
      ).then(setProgress, () => undefined);
    }, 500);
    try {
      const result = await api<ExportResult>(
        'POST',
        `/evidence/recordings/${encodeURIComponent(recording.id)}/export`,
        { to: chosen, encrypt, ...(passphrase ? { passphrase } : {}) },
      );
      setProgress({ bytes: result.bytes, totalBytes: result.bytes });
      setOutcome({
        kind: 'ok',
        text: result.alreadyExported ? t('exportAlready') : t('exportDone', { bytes: bytes(result.bytes, lang) }),
      });
    } catch (error) {
      setOutcome({ kind: 'error', text: errorText(error, lang) });
    } finally {
      clearInterval(poll);
      setBusy(false);
    }
  };
  return html`<div class="export" id="export-panel" role="region" aria-labelledby="export-title">
    <div class="head"><h2 id="export-title">${t('exportTitle')}: ${title}</h2><button type="button" onClick=${onClose}>${t('close')}</button></div>
    <${ErrorLine} error=${drives.error} />
    ${recording.confidential ? html`<p class="banner warn">${t('confidentialExportNote')}</p>` : null}
    ${drives.data && choices.length === 0 ? html`<p class="banner warn" id="no-drives">${t('noDrives')}</p>` : null}
    <div class="inline-form">
      <label>${t('drive')}<select id="export-drive" value=${chosen} onChange=${(e: Event) => setDrive((e.target as HTMLSelectElement).value)}>
        ${choices.map((d) => html`<option value=${d.mountPoint}>${t('driveFree', { label: d.label ?? d.name, mount: d.mountPoint, free: bytes(d.freeBytes, lang) })}</option>`)}</select></label>
      ${recording.confidential ? null : html`<label class="check"><input type="checkbox" checked=${encrypt} onChange=${(e: Event) => setEncrypt((e.target as HTMLInputElement).checked)} />${t('encryptCopy')}</label>`}
      ${encrypted && can('identities.read') ? html`<label>${t('passphrase')}<input type="password" autocomplete="new-password" minlength="12" value=${passphrase} onInput=${(e: Event) => setPassphrase((e.target as HTMLInputElement).value)} /></label>` : null}
      <button type="button" class="primary" id="start-export" disabled=${busy || !chosen} onClick=${start}>${t('startExport')}</button>
      <button type="button" onClick=${() => drives.reload()}>${t('refresh')}</button>
    </div>
    ${progress ? html`<p><progress id="export-progress" max=${Math.max(1, progress.totalBytes)} value=${Math.min(progress.bytes, progress.totalBytes)}></progress> ${busy ? t('exportProgress', { done: bytes(progress.bytes, lang), total: bytes(progress.totalBytes, lang) }) : null}</p>` : null}
    ${outcome ? html`<p id="export-outcome" class=${outcome.kind === 'ok' ? 'banner ok' : 'banner fail'} role="status">${outcome.text}</p>` : null}
  </div>`;
}
