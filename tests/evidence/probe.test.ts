import { describe, expect, it } from 'vitest';
import {
  emptyScan,
  finishScan,
  scanLine,
  segmentTimeRange,
  type SegmentTiming,
} from '../../kiosk/media/segment-timing.js';

/** The timing `probeSegmentTiming` would report for this ffprobe output (lines as GStreamer-made files print them). */
const timingOf = (output: string) => finishScan(output.split('\n').reduce(scanLine, emptyScan()));

// Excerpts of `ffprobe … -of compact` on files made by gst-launch-1.0 1.22 (x264enc, 30 fps).
const finishedMatroska = `packet|pts_time=0.000000|duration_time=0.033000
packet|pts_time=0.133000|duration_time=0.033000
packet|pts_time=0.067000|duration_time=0.033000
packet|pts_time=1.900000|duration_time=0.033000
packet|pts_time=1.933000|duration_time=0.033000
format|duration=1.999999|tag:creation_time=2026-12-01T11:47:03.003002Z
`;
// Second file of a splitmuxsink recording killed mid-write: the recording's clock, no container duration.
const cutMatroska = `packet|pts_time=5.006000|duration_time=0.033000
packet|pts_time=5.139000|duration_time=0.033000
packet|pts_time=6.406000|duration_time=0.033000
packet|pts_time=6.239000|duration_time=0.033000
format|duration=N/A|tag:creation_time=2026-12-01T11:47:13.602241Z
`;
// mpegtsmux: audio (AAC) and video interleaved, a side_data child printed as a blank line, no creation time.
const cutMpegTs = `packet|pts_time=3602.021733|duration_time=0.023211|side_data|

packet|pts_time=3602.013744|duration_time=0.033333|side_data|

packet|pts_time=3603.461367|duration_time=0.023211|side_data|

packet|pts_time=3603.480411|duration_time=0.033333
format|duration=1.500000
`;

describe('segment timing from ffprobe output', () => {
  it.each<[string, string, SegmentTiming | null]>([
    [
      'a finished Matroska file keeps its container duration',
      finishedMatroska,
      { durationSeconds: 1.999999, firstPts: 0, lastEnd: 1.966, createdAt: '2026-12-01T11:47:03.003Z' },
    ],
    [
      'a cut Matroska file is measured from its packets, B-frames out of order',
      cutMatroska,
      { durationSeconds: 6.439 - 5.006, firstPts: 5.006, lastEnd: 6.439, createdAt: '2026-12-01T11:47:13.602Z' },
    ],
    [
      'MPEG-TS: earliest start to latest end over both streams',
      cutMpegTs,
      { durationSeconds: 1.5, firstPts: 3602.013744, lastEnd: 3603.513744 },
    ],
    [
      'a packet without a duration ends where it starts',
      'packet|pts_time=1.000000|duration_time=N/A\npacket|pts_time=1.500000|duration_time=N/A\nformat|duration=N/A',
      { durationSeconds: 0.5, firstPts: 1, lastEnd: 1.5 },
    ],
    [
      'packets without a timestamp do not count',
      'packet|pts_time=N/A|duration_time=0.033000\npacket|pts_time=2.000000|duration_time=0.040000',
      { durationSeconds: 0.04, firstPts: 2, lastEnd: 2.04 },
    ],
    [
      'a container duration far from the packets is not believed',
      'packet|pts_time=0.000000|duration_time=0.040000\npacket|pts_time=0.960000|duration_time=0.040000\nformat|duration=600.000000',
      { durationSeconds: 1, firstPts: 0, lastEnd: 1 },
    ],
    [
      'a creation time that is not a date is left out',
      'packet|pts_time=0.000000|duration_time=0.040000\nformat|duration=0.040000|tag:creation_time=garbage',
      { durationSeconds: 0.04, firstPts: 0, lastEnd: 0.04 },
    ],
    [
      'no packet at all: null, even with a container duration',
      'format|duration=2.000000|tag:creation_time=2026-12-01T11:47:03.003002Z',
      null,
    ],
    ['nothing printed (ffprobe could not read the file): null', '', null],
  ])('%s', (_name, output, expected) => {
    const timing = timingOf(output);
    if (expected === null) expect(timing).toBeNull();
    else
      expect(timing).toEqual({
        ...expected,
        durationSeconds: expect.closeTo(expected.durationSeconds, 9),
        lastEnd: expect.closeTo(expected.lastEnd, 9),
      });
  });
});

describe('segmentTimeRange', () => {
  const timing = (durationSeconds: number, createdAt?: string): SegmentTiming => ({
    durationSeconds,
    firstPts: 0,
    lastEnd: durationSeconds,
    ...(createdAt ? { createdAt } : {}),
  });
  const end = '2026-12-01T12:00:00.000Z';

  it.each<[string, SegmentTiming, { start?: string }, [string, string, string]]>([
    [
      "the file's creation time comes first",
      timing(1.5, '2026-12-01T11:47:13.602Z'),
      { start: '2026-12-01T11:47:10.000Z' },
      ['2026-12-01T11:47:13.602Z', '2026-12-01T11:47:15.102Z', 'creation-time'],
    ],
    [
      'else the start known from outside the file (offsets as the catalog holds them)',
      timing(1.5),
      { start: '2026-01-02T03:01:00+07:00' },
      ['2026-01-01T20:01:00.000Z', '2026-01-01T20:01:01.500Z', 'start'],
    ],
    ['else the last write, counted back by the duration', timing(1.5), {}, ['2026-12-01T11:59:58.500Z', end, 'end']],
    ['never an empty range for a file with packets', timing(0), {}, ['2026-12-01T11:59:59.999Z', end, 'end']],
  ])('%s', (_name, t, anchors, [startedAt, endedAt, basis]) => {
    expect(segmentTimeRange(t, { ...anchors, end })).toEqual({ startedAt, endedAt, basis });
  });
});
