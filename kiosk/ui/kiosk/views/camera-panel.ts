import { html, useText } from '../../shared/html.js';
import type { MessageKey } from '../../../messages/pages.js';
import type { Preset } from '../types.js';

export interface Move {
  pan: -1 | 0 | 1;
  tilt: -1 | 0 | 1;
  zoom?: -1 | 0 | 1;
}

/** The pad: pan and tilt around, zoom in the top corners; the centre is empty (release stops). */
const pad: { key: MessageKey; move: Move; symbol: string; cell: string }[] = [
  { key: 'zoom_out', move: { pan: 0, tilt: 0, zoom: -1 }, symbol: '−', cell: 'a' },
  { key: 'tilt_up', move: { pan: 0, tilt: 1 }, symbol: '▲', cell: 'b' },
  { key: 'zoom_in', move: { pan: 0, tilt: 0, zoom: 1 }, symbol: '+', cell: 'c' },
  { key: 'pan_left', move: { pan: -1, tilt: 0 }, symbol: '◀', cell: 'd' },
  { key: 'pan_right', move: { pan: 1, tilt: 0 }, symbol: '▶', cell: 'f' },
  { key: 'tilt_down', move: { pan: 0, tilt: -1 }, symbol: '▼', cell: 'h' },
];

/**
 * Camera presets (the active one highlighted) and a press-and-hold pan/tilt/zoom pad: pressing
 * starts the move, releasing (or the finger leaving the button) stops it.
 */
export function CameraPanel({
  presets,
  active,
  connected,
  onRecall,
  onMove,
}: {
  presets: Preset[];
  active: string | undefined;
  connected: boolean;
  onRecall: (name: string) => void;
  onMove: (move: Move | null) => void;
}) {
  const { t, lang } = useText();
  const release = () => onMove(null);
  return html`<section class="panel camera" aria-labelledby="presets-title">
    <h2 id="presets-title">${t('presets')}</h2>
    ${
      presets.length === 0
        ? html`<p class="empty">${t('noPresets')}</p>`
        : html`<div id="presets" class="presets">${presets.map((preset) => html`<button type="button" class=${`button preset ${active === preset.name ? 'active' : ''}`} data-preset=${preset.name} aria-pressed=${String(active === preset.name)} disabled=${!connected} onClick=${() => onRecall(preset.name)}>${preset.label[lang]}</button>`)}</div>`
    }
    <div id="ptz-pad" class="pad" role="group" aria-label=${t('cameraPad')}>
      ${pad.map(
        (
          button,
        ) => html`<button type="button" class=${`button pad-${button.cell}`} data-move=${button.key} aria-label=${t(button.key)} disabled=${!connected}
        onPointerDown=${(event: PointerEvent) => {
          (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
          onMove(button.move);
        }}
        onPointerUp=${release} onPointerCancel=${release} onLostPointerCapture=${release}
        onContextMenu=${(event: Event) => event.preventDefault()}>${button.symbol}</button>`,
      )}
    </div>
  </section>`;
}
