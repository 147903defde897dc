/** Bytes a recording of `seconds` will take at the configured bitrates, with container overhead. */
export function expectedRecordingBytes(bitrates: { videoKbps: number; audioKbps: number }, seconds: number): number {
  // Matroska/MPEG-TS framing adds a few percent; 5 % keeps the estimate on the safe side.
  const overhead = 1.05;
  return Math.ceil((((bitrates.videoKbps + bitrates.audioKbps) * 1000) / 8) * Math.max(0, seconds) * overhead);
}
