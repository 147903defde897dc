import { useEffect, useRef } from 'preact/hooks';
import { html, useText } from '../../shared/html.js';
import type { EndSummary } from '../types.js';

function useModal(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}

export function ConfirmDialog({
  open,
  text,
  onAnswer,
}: {
  open: boolean;
  text: string;
  onAnswer: (yes: boolean) => void;
}) {
  const { t } = useText();
  const ref = useModal(open);
  return html`<dialog id="confirm" ref=${ref} aria-labelledby="confirm-text" onCancel=${(event: Event) => {
    event.preventDefault();
    onAnswer(false);
  }}>
    <p id="confirm-text">${text}</p>
    <div class="actions">
      <button id="confirm-yes" class="button danger" type="button" onClick=${() => onAnswer(true)}>${t('yes')}</button>
      <button id="confirm-no" class="button secondary" type="button" onClick=${() => onAnswer(false)}>${t('no')}</button>
    </div>
  </dialog>`;
}

/** After End: how long was recorded, the segments sealed, and whether the sealed recording verifies. */
export function SummaryDialog({
  open,
  title,
  summary,
  onClose,
}: {
  open: boolean;
  title: string;
  summary: EndSummary | null;
  onClose: () => void;
}) {
  const { t, tf } = useText();
  const ref = useModal(open);
  const duration = (seconds: number) =>
    tf('minutesSeconds', { minutes: Math.floor(seconds / 60), seconds: Math.round(seconds % 60) });
  const verified = summary?.verified;
  return html`<dialog id="summary" ref=${ref} aria-labelledby="summary-title" onCancel=${(event: Event) => {
    event.preventDefault();
    onClose();
  }}>
    <h2 id="summary-title">${t('summaryTitle')}</h2>
    <p class="session-title">${title}</p>
    ${
      summary
        ? html`<dl class="summary">
          <dt>${t('summaryDuration')}</dt><dd id="summary-duration">${summary.durationSeconds === null ? '—' : duration(summary.durationSeconds)}</dd>
          <dt>${t('summarySegments')}</dt><dd id="summary-segments">${summary.sealed ? String(summary.segments ?? 0) : '0'}</dd>
          <dt>${t('summaryGaps')}</dt><dd id="summary-gaps">${summary.gapSeconds > 0 ? duration(summary.gapSeconds) : t('summaryNoGaps')}</dd>
          <dt>${t('summaryVerified')}</dt><dd id="summary-verified" class=${verified === true ? 'ok' : 'alert'} data-verified=${String(verified)}>${t(verified === true ? 'verifiedYes' : verified === false ? 'verifiedNo' : 'verifiedUnknown')}</dd>
        </dl>`
        : html`<p class="empty">${t('summaryLoading')}</p>`
    }
    <div class="actions"><button id="summary-close" class="button primary" type="button" onClick=${onClose}>${t('close')}</button></div>
  </dialog>`;
}
