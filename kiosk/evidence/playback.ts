/**
 * How a recording is played in the console's browser (pure). The recorder writes Matroska segments
 * (H.264 + AAC); Chromium's <video> plays MP4. ffmpeg joins the segments (concat demuxer) and
 * remuxes them, without re-encoding, to a fragmented MP4 written to its stdout as it goes: the
 * first fragment reaches the browser after one keyframe interval, whatever the recording's length,
 * and nothing is buffered whole in memory or on disk.
 */

/**
 * The concat demuxer's list: one `file '…'` line per segment, quotes escaped as ffconcat wants. Each
 * path is a `file:` URL: read from stdin, a bare path would be taken relative to `pipe:`.
 */
export function concatList(paths: readonly string[]): string {
  return `ffconcat version 1.0\n${paths.map((path) => `file 'file:${path.replaceAll("'", "'\\''")}'\n`).join('')}`;
}

/** ffmpeg's arguments: the list on stdin, the fragmented MP4 on stdout. */
export function remuxArguments(): string[] {
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
    // empty_moov: the header first, so playback starts before the end is known; a fragment per keyframe.
    '-movflags',
    'frag_keyframe+empty_moov+default_base_moof',
    '-f',
    'mp4',
    'pipe:1',
  ];
}
