/** sysfs `bl_power` values (the framebuffer blank levels): 0 unblank (on), 4 powerdown (off). */
export const BL_POWER_ON = 0;
export const BL_POWER_OFF = 4;

/**
 * Percent to a raw backlight level. Any percent above 0 gives at least level 1: on panels with a
 * short range (max_brightness 7 or 15) rounding would otherwise blank a panel asked to be dim.
 */
export function percentToLevel(percent: number, max: number): number {
  const clamped = Math.min(100, Math.max(0, percent));
  const level = Math.round((clamped * max) / 100);
  return clamped > 0 && level === 0 ? Math.min(1, max) : level;
}

export function levelToPercent(level: number, max: number): number {
  return max > 0 ? Math.round((Math.min(level, max) * 100) / max) : 0;
}

/** A sysfs attribute as text → integer; sysfs values end with a newline. */
export function parseSysfsInteger(text: string, attribute: string): number {
  const value = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(value) || !/^-?\d+$/.test(text.trim()))
    throw new Error(`unexpected ${attribute} value ${JSON.stringify(text.trim())}`);
  return value;
}
