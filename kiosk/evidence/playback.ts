/**
 * How a recording is played in the console's browser (pure). The recorder writes Matroska segments
 * (H.264 + AAC); Chromium's <video> plays MP4 and seeks in it with HTTP Range requests, which needs
 * a file whose index (moov) comes first. ffmpeg joins the segments (concat demuxer) and remuxes them,
 * without re-encoding, to such a file once per recording (playback-cache.ts); the daemon serves it
 * with Range. A copy costs the disk's read and write speed, not the CPU.
 */
import { sha256Hex } from '../core/hashing.js';

/**
 * The concat demuxer's list: one `file '…'` line per segment, quotes escaped as ffconcat wants. Each
 * path is a `file:` URL: read from stdin, a bare path would be taken relative to `pipe:`.
 */
export function concatList(paths: readonly string[]): string {
  return `ffconcat version 1.0\n${paths.map((path) => `file 'file:${path.replaceAll("'", "'\\''")}'\n`).join('')}`;
}

/** ffmpeg's arguments: the list on stdin, a regular MP4 with its index first written to `output`. */
export function remuxArguments(output: string): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    // The list comes on stdin and names files by absolute path: nothing else may be opened.
    '-f',
    'concat',
    '-safe',
    '0',
    '-protocol_whitelist',
    'file,pipe',
    '-i',
    'pipe:0',
    '-map',
    '0:v:0?',
    '-map',
    '0:a:0?',
    '-c',
    'copy',
    // faststart: the index moved to the front once written, so the browser knows every keyframe's
    // offset from the first bytes and can seek anywhere with one Range request.
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    '-y',
    output,
  ];
}

/**
 * The cached copy's name: the recording and what it holds (every segment's hash, in order), so a
 * recording that gained a segment, or a segment replaced, is remuxed again instead of served stale.
 */
export function playbackFileName(recordingId: string, segmentHashes: readonly string[]): string {
  return `${recordingId}-${sha256Hex(segmentHashes.join('\n')).slice(0, 16)}.mp4`;
}
