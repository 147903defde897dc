/**
 * Elements whose source pads appear only once media flows ("sometimes" pads). gst_parse_launch links
 * such pads once, the first time they appear; after an outage they come back as new pads nobody links.
 */
const LATE_PAD_ELEMENTS = [
  'rtspsrc',
  'decodebin',
  'decodebin3',
  'uridecodebin',
  'uridecodebin3',
  'parsebin',
  'tsdemux',
  'flvdemux',
  'matroskademux',
  'qtdemux',
];

const lateElement = new RegExp(`(?:^|[\\s!])(?:${LATE_PAD_ELEMENTS.join('|')})(?=\\s|$)`, 'm');

/**
 * Whether a pipeline described by this launch string must be built again to recover from an outage.
 * Only those that link pads late do: the binding never frees a pipeline, so every rebuild costs one
 * pipeline's memory, threads' leftovers and bus sockets for the rest of the worker's life.
 */
export function needsRebuildAfterOutage(launch: string): boolean {
  return lateElement.test(launch);
}
