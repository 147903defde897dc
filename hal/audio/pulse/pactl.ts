export interface PulseSource {
  index: number;
  name: string;
  /** e.g. `s16le 6ch 16000Hz` */
  sampleSpec: string;
  state: string;
  /** Monitors echo a sink's output: never the room's microphone. */
  monitor: boolean;
}

/** Parses `pactl list short sources`: tab-separated index, name, module, sample spec, state. */
export function parseShortSources(output: string): PulseSource[] {
  const sources: PulseSource[] = [];
  for (const line of output.split('\n')) {
    const fields = line.split('\t');
    if (fields.length < 4 || !/^\d+$/.test(fields[0]!)) continue;
    const name = fields[1]!;
    sources.push({
      index: Number(fields[0]),
      name,
      sampleSpec: fields[3] ?? '',
      state: (fields[4] ?? '').trim(),
      monitor: name.endsWith('.monitor'),
    });
  }
  return sources;
}

/** Parses `pactl get-source-mute SOURCE` (`Mute: yes`). */
export function parseMute(output: string): boolean {
  const match = /^Mute:\s*(yes|no)\s*$/m.exec(output);
  if (!match) throw new Error(`unexpected pactl output ${JSON.stringify(output.trim().slice(0, 80))}`);
  return match[1] === 'yes';
}

/** The server is not running (yet): a retry will do, unlike a missing source name. */
export function isServerUnavailable(stderr: string): boolean {
  return /Connection (failure|refused)|pa_context_connect|Connection terminated/i.test(stderr);
}
