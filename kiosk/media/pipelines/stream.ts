import type { MediaPlan } from '../plan.js';
import { elements } from './channels.js';
import { quote } from './launch.js';

export interface StreamSpec {
  launch: string;
  secret?: { element: string; property: string; file: string };
}

const hopCaps = '"video/mpegts,systemstream=(boolean)true,packetsize=(int)188"';

/**
 * The stream pipeline reads the program's local UDP hop and sends it to the chairing site. It runs
 * apart from the program so it can fail and reconnect while the recording continues untouched.
 */
export function streamLaunch(stream: MediaPlan['stream'], hopPort: number): StreamSpec | undefined {
  const hop = `udpsrc address=127.0.0.1 port=${hopPort} caps=${hopCaps} ! queue leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=2000000000`;
  switch (stream.kind) {
    case 'none':
    case 'udp':
      return undefined;
    case 'srt':
      return {
        launch: `${hop} ! srtsink name=${elements.streamOut} uri=${quote(stream.url)} latency=${stream.latencyMs} pbkeylen=32 wait-for-connection=false sync=false`,
        secret: { element: elements.streamOut, property: 'passphrase', file: stream.passphraseFile },
      };
    case 'rtmp':
      return {
        launch: [
          `${hop} ! tsdemux name=stream-demux`,
          `stream-demux. ! video/x-h264 ! queue ! h264parse ! stream-flv.`,
          `stream-demux. ! audio/mpeg ! queue ! aacparse ! stream-flv.`,
          `flvmux name=stream-flv streamable=true ! rtmpsink name=${elements.streamOut} location=${quote(stream.url)} sync=false`,
        ].join('\n'),
      };
  }
}
