/**
 * Judges a test recording from the `ffprobe -count_frames` JSON of each of its segment files, in
 * order: together they must decode and be as long as asked.
 */

export interface RecordingAssessment {
  decodes: boolean;
  durationSeconds: number | null;
  videoFrames: number;
  audioFrames: number;
  problem?: string;
}

/** `ffprobe -v error -count_frames -show_entries stream=codec_type,codec_name,nb_read_frames:format=duration -of json` */
export const ffprobeArgs = (path: string): string[] => [
  '-v',
  'error',
  '-count_frames',
  '-show_entries',
  'stream=codec_type,codec_name,nb_read_frames:format=duration',
  '-of',
  'json',
  path,
];

export function assessRecording(
  ffprobeJsons: string[],
  expected: { seconds: number; fps: number },
): RecordingAssessment {
  type Probe = { streams?: { codec_type?: string; nb_read_frames?: string }[]; format?: { duration?: string } };
  const parsed: Probe[] = [];
  for (const json of ffprobeJsons) {
    try {
      parsed.push(JSON.parse(json) as Probe);
    } catch {
      return {
        decodes: false,
        durationSeconds: null,
        videoFrames: 0,
        audioFrames: 0,
        problem: 'ffprobe output is not JSON',
      };
    }
  }
  if (parsed.length === 0)
    return { decodes: false, durationSeconds: null, videoFrames: 0, audioFrames: 0, problem: 'no segment was written' };
  const count = (type: string) =>
    parsed
      .flatMap((p) => p.streams ?? [])
      .filter((s) => s.codec_type === type)
      .reduce((sum, s) => sum + (Number(s.nb_read_frames) || 0), 0);
  const videoFrames = count('video');
  const audioFrames = count('audio');
  const durations = parsed.map((p) => Number(p.format?.duration));
  const durationSeconds = durations.every(Number.isFinite)
    ? Math.round(durations.reduce((a, b) => a + b, 0) * 1000) / 1000
    : null;
  // A live source may drop a frame or two at start-up; 90 % of the frames is a healthy recording.
  const minimumFrames = Math.floor(expected.seconds * expected.fps * 0.9);
  let problem: string | undefined;
  if (videoFrames === 0) problem = 'no video frame decodes';
  else if (videoFrames < minimumFrames)
    problem = `only ${videoFrames} of ${expected.seconds * expected.fps} video frames decode`;
  else if (audioFrames === 0) problem = 'no audio frame decodes';
  else if (durationSeconds === null || durationSeconds < expected.seconds * 0.9)
    problem = `duration ${durationSeconds ?? 'unknown'} s, expected ${expected.seconds} s`;
  return { decodes: problem === undefined, durationSeconds, videoFrames, audioFrames, ...(problem ? { problem } : {}) };
}
