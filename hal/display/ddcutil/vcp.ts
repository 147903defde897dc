/** MCCS feature codes this driver uses. */
export const VCP_BRIGHTNESS = 0x10;
export const VCP_POWER_MODE = 0xd6;

/** MCCS power mode (VCP 0xD6) values: 1 on; 2 standby, 3 suspend, 4 off (DPM); 5 off (power button). */
export const POWER_ON = 0x01;
export const POWER_OFF_DPM = 0x04;

export type VcpValue =
  | { code: number; type: 'continuous'; current: number; max: number }
  | { code: number; type: 'non-continuous'; value: number }
  | { code: number; type: 'error' };

/**
 * Parses `ddcutil --brief getvcp …` output, one feature a line:
 *   `VCP 10 C 60 100`  (continuous: current, max)
 *   `VCP D6 SNC x01`   (simple non-continuous: hex value)
 *   `VCP D6 ERR`       (the monitor did not answer for that feature)
 * Other lines (warnings, table features) are skipped.
 */
export function parseBriefVcp(output: string): VcpValue[] {
  const values: VcpValue[] = [];
  for (const line of output.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== 'VCP' || fields.length < 3 || !/^[0-9a-f]{2}$/i.test(fields[1]!)) continue;
    const code = Number.parseInt(fields[1]!, 16);
    const type = fields[2];
    if (type === 'C' && fields.length >= 5) {
      const current = Number(fields[3]);
      const max = Number(fields[4]);
      if (Number.isInteger(current) && Number.isInteger(max)) values.push({ code, type: 'continuous', current, max });
    } else if (type === 'SNC' && fields.length >= 4 && /^x[0-9a-f]{1,2}$/i.test(fields[3]!)) {
      values.push({ code, type: 'non-continuous', value: Number.parseInt(fields[3]!.slice(1), 16) });
    } else if (type === 'ERR') {
      values.push({ code, type: 'error' });
    }
  }
  return values;
}

/** The monitor is absent (unplugged, off at the wall, or DDC disabled in its menu), as opposed to one failed read. */
export function isDisplayNotFound(text: string): boolean {
  return /display not found|no displays found|invalid display|no \/dev\/i2c devices exist/i.test(text);
}

/** Percent 0…100 to the monitor's own range (most use 0…100, some 0…255). */
export function percentToRaw(percent: number, max: number): number {
  return Math.round((Math.min(100, Math.max(0, percent)) * max) / 100);
}

export function rawToPercent(raw: number, max: number): number {
  return max > 0 ? Math.round((raw * 100) / max) : 0;
}
