/**
 * Argument lists for and output parsing of `v4l2-ctl` (v4l-utils) for the UVC PTZ controls. Pure.
 * UVC pan/tilt are in arc-seconds (1/3600 degree); zoom is unit-less, device-specific.
 */

export const PTZ_CONTROLS = ['pan_absolute', 'tilt_absolute', 'zoom_absolute'] as const;
export type PtzControl = (typeof PTZ_CONTROLS)[number];

export interface ControlRange {
  min: number;
  max: number;
  step: number;
  default: number;
  value: number;
}

export function listControlsArgs(device: string): string[] {
  return ['-d', device, '--list-ctrls'];
}

export function getControlsArgs(device: string, names: readonly string[]): string[] {
  return ['-d', device, `--get-ctrl=${names.join(',')}`];
}

export function setControlsArgs(device: string, values: Partial<Record<PtzControl, number>>): string[] {
  const pairs = Object.entries(values).map(([name, value]) => {
    if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
    return `${name}=${value}`;
  });
  if (pairs.length === 0) throw new RangeError('no control to set');
  return ['-d', device, `--set-ctrl=${pairs.join(',')}`];
}

const LIST_LINE = /^\s*([a-z0-9_]+)\s+0x[0-9a-f]+\s+\((\w+)\)\s*:\s*(.*)$/i;

/** Integer controls from `--list-ctrls`, by name (menus, booleans and buttons are left out). */
export function parseListControls(output: string): Map<string, ControlRange> {
  const controls = new Map<string, ControlRange>();
  for (const line of output.split('\n')) {
    const match = LIST_LINE.exec(line);
    if (match?.[2] !== 'int') continue;
    const fields = Object.fromEntries(Array.from(match[3]!.matchAll(/(\w+)=(-?\d+)/g), (m) => [m[1]!, Number(m[2])]));
    if (['min', 'max', 'step', 'default', 'value'].every((key) => typeof fields[key] === 'number')) {
      controls.set(match[1]!, {
        min: fields.min!,
        max: fields.max!,
        step: fields.step!,
        default: fields.default!,
        value: fields.value!,
      });
    }
  }
  return controls;
}

/** `--get-ctrl` prints one `name: value` line per control. */
export function parseGetControls(output: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of output.split('\n')) {
    const match = /^\s*([a-z0-9_]+):\s*(-?\d+)\s*$/i.exec(line);
    if (match) values.set(match[1]!, Number(match[2]));
  }
  return values;
}

/** Clamps to the range and snaps to the control's step, as the driver would round anyway. */
export function fitToRange(value: number, range: ControlRange): number {
  const clamped = Math.min(range.max, Math.max(range.min, Math.round(value)));
  if (range.step <= 1) return clamped;
  const snapped = range.min + Math.round((clamped - range.min) / range.step) * range.step;
  return Math.min(range.max, snapped);
}
