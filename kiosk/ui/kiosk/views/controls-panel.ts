import { html, useText } from '../../shared/html.js';
import type { TechnicianCall } from '../types.js';

/** Call the technician (always, with or without a session) and the microphone switch, said in words. */
export function ControlsPanel({
  call,
  muted,
  connected,
  onCall,
  onMute,
}: {
  call: TechnicianCall | null;
  muted: boolean | undefined;
  connected: boolean;
  onCall: () => void;
  onMute: () => void;
}) {
  const { t } = useText();
  return html`<section class="panel controls" aria-label=${t('callTechnician')}>
    <button id="call" class="button call" type="button" disabled=${!connected} onClick=${onCall}>${t('callTechnician')}</button>
    ${call ? html`<p id="call-status" class=${`call-status ${call.state}`} role="status">${t(call.state === 'waiting' ? 'callWaiting' : 'callAcknowledged')}</p>` : null}
    <button id="mute" class=${`button mute ${muted ? 'muted' : ''}`} type="button" aria-pressed=${String(Boolean(muted))} disabled=${!connected || muted === undefined} onClick=${onMute}>${t(muted ? 'unmute' : 'mute')}</button>
  </section>`;
}
