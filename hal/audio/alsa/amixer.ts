/** What `amixer sget CONTROL` says about a control's capture side. */
export interface CaptureControl {
  name: string;
  /** Per channel: capture volume percent (null without a volume) and capture switch (null without a switch). */
  channels: { channel: string; percent: number | null; on: boolean | null }[];
}

/** Lines of `amixer sget` output that are not a channel's state. */
const nonChannelLines = new Set(['Capabilities', 'Capture channels', 'Playback channels', 'Limits', 'Mixer', 'Item0']);

/**
 * Parses `amixer -D DEV sget CONTROL`:
 *   Simple mixer control 'Capture',0
 *     Capabilities: cvolume cswitch
 *     Capture channels: Front Left - Front Right
 *     Limits: Capture 0 - 63
 *     Front Left: Capture 39 [62%] [12.00dB] [on]
 * In a mixed control's line (`Mono: Playback 31 [100%] [off] Capture 16 [100%] [on]`) only the capture part counts.
 */
export function parseCaptureControl(output: string): CaptureControl | undefined {
  const header = /^Simple mixer control '(.+)',\d+$/m.exec(output);
  if (!header) return undefined;
  const channels: CaptureControl['channels'] = [];
  for (const line of output.split('\n')) {
    const match = /^\s+([A-Za-z][A-Za-z ]*?):\s+(.*)$/.exec(line);
    if (!match || nonChannelLines.has(match[1]!)) continue;
    // A mixed control lists both sides on one line: only what follows "Capture" is capture state.
    const captureAt = match[2]!.search(/\bCapture\b/);
    if (captureAt < 0) continue;
    const rest = match[2]!.slice(captureAt);
    const percent = /\[(\d+)%\]/.exec(rest);
    const onOff = /\[(on|off)\]/.exec(rest);
    channels.push({
      channel: match[1]!,
      percent: percent ? Number(percent[1]) : null,
      on: onOff ? onOff[1] === 'on' : null,
    });
  }
  return { name: header[1]!, channels };
}

/** Muted when every channel with a capture switch has it off; a control without a switch is never muted. */
export function isCaptureMuted(control: CaptureControl): boolean {
  const switches = control.channels.filter((c) => c.on !== null);
  return switches.length > 0 && switches.every((c) => c.on === false);
}

/**
 * The mixer (ctl) device of a capture PCM: mute lives on the card, not on the PCM.
 *   hw:CARD=ArrayUAC10,DEV=0 → hw:CARD=ArrayUAC10;  plughw:1,0 → hw:1;  default → default
 */
export function mixerDeviceOf(pcm: string): string {
  const named = /^(?:plug)?hw:CARD=([^,\s]+)/.exec(pcm);
  if (named) return `hw:CARD=${named[1]}`;
  const numbered = /^(?:plug)?hw:([^,=\s]+)/.exec(pcm);
  if (numbered) return `hw:${numbered[1]}`;
  return pcm;
}

export type AmixerFailure = 'no-device' | 'no-control' | 'other';

/** Tells "the card is gone" (retry until it is back) from "no such control" (a config error). */
export function classifyAmixerError(stderr: string): AmixerFailure {
  if (/Unable to find simple control/i.test(stderr)) return 'no-control';
  if (/No such (device|file or directory)|Cannot get card index|Invalid CTL|cannot find card/i.test(stderr))
    return 'no-device';
  return 'other';
}
