/**
 * Helpers for gst-launch syntax. Values that come from config or people (room names, URLs, paths)
 * are always quoted, so a quote, a `!` or a space in them cannot change the pipeline's shape.
 */

/** A property value in double quotes; backslash and double quote are escaped as gst_parse expects. */
export function quote(value: string): string {
  // Control characters have no place in a property and would break the one-line description.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `"${clean.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** textoverlay renders its `text` as Pango markup: &, < and > must be entities to show as typed. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A frame rate as a GStreamer fraction: 2 → 2/1, 0.5 → 1/2, 7.5 → 15/2. */
export function fraction(rate: number): string {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`frame rate must be positive, got ${rate}`);
  for (const denominator of [1, 2, 4, 5, 10, 100, 1000]) {
    const numerator = rate * denominator;
    if (Math.abs(numerator - Math.round(numerator)) < 1e-9) return `${Math.round(numerator)}/${denominator}`;
  }
  return `${Math.round(rate * 1000)}/1000`;
}

/** Seconds as the nanoseconds GStreamer's time properties take, written out in full. */
export function nanoseconds(seconds: number): string {
  return String(Math.round(seconds * 1e9));
}

/** Even dimensions: most encoders and I420 need them. */
export function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

export function rawVideoCaps(width: number, height: number, fps: number): string {
  return `video/x-raw,format=I420,width=${width},height=${height},framerate=${fraction(fps)},pixel-aspect-ratio=1/1,interlace-mode=progressive`;
}

/** Joins pipeline fragments: one branch per line keeps logs and test diffs readable. */
export function branches(...parts: Array<string | false | undefined>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n');
}
