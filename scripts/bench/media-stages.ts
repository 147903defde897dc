import { channels } from '../../kiosk/media/pipelines/channels.js';

/**
 * One stage taken out of the worker's pipelines (captures first, the program last), for runs that
 * measure what each stage costs: the full run minus the run without it. Pure text edits of the
 * launch strings the product builds, so the runs follow the product as it changes; each edit
 * throws when it no longer finds what it removes, rather than measuring the full pipeline twice.
 */
export const removableStages = ['overlays', 'preview', 'levels', 'stream', 'audio', 'camera hop'] as const;
export type RemovableStage = (typeof removableStages)[number];

function edit(text: string, pattern: RegExp, replacement: string, stage: RemovableStage): string {
  if (!pattern.test(text)) throw new Error(`stage ${stage}: ${pattern} not found in the launch strings`);
  return text.replace(pattern, replacement);
}

export function withoutStage(launches: readonly string[], stage: RemovableStage): string[] {
  const program = launches.at(-1)!;
  const captures = launches.slice(0, -1);
  switch (stage) {
    case 'overlays':
      return [
        ...captures,
        edit(program, / ! clockoverlay [^!]*! textoverlay name=caption [^!]*(?= ! tee name=program-video)/, '', stage),
      ];
    case 'preview':
      return [
        ...captures,
        edit(program, /\nprogram-video\. ! queue leaky=downstream[^\n]*appsink name=preview[^\n]*/, '', stage),
      ];
    case 'levels':
      return [...captures, edit(program, / ! level name=\S+ [^!]*/, '', stage)];
    case 'stream': {
      const lines = program.split('\n').filter((line) => !line.includes('stream-mux'));
      if (lines.length === program.split('\n').length) throw new Error('stage stream: no stream branch');
      return [...captures, lines.join('\n')];
    }
    case 'audio': {
      const noMic = captures.filter((c) => !c.includes(`interaudiosink channel=${channels.mic}`));
      if (noMic.length === captures.length) throw new Error('stage audio: no microphone capture');
      const lines = program.split('\n').filter((line) => !/interaudiosrc|audiomixer|program-audio\./.test(line));
      return [...noMic, lines.join('\n')];
    }
    case 'camera hop': {
      // The camera linked straight into the program: what the inter channel's copy and its two threads cost.
      const camera = captures.find((c) => c.includes(`intervideosink channel=${channels.camera}`));
      if (!camera) throw new Error('stage camera hop: no camera capture');
      const source = edit(camera, / ! progressreport [^!]*! intervideosink channel=\S+$/, '', stage);
      return [
        ...captures.filter((c) => c !== camera),
        edit(
          program,
          new RegExp(`^intervideosrc channel=${channels.camera} \\S+`, 'm'),
          `${source} ! queue max-size-buffers=1`,
          stage,
        ),
      ];
    }
  }
}
