/** What `v4l2-ctl -d DEV --all` says about a video node. */
export interface V4l2Info {
  driver?: string;
  card?: string;
  busInfo?: string;
  /** The node's own capabilities ("Device Caps"): a UVC camera also has a metadata node that cannot capture. */
  deviceCaps: string[];
  width?: number;
  height?: number;
  pixelFormat?: string;
}

/**
 * Parses the parts of `v4l2-ctl --all` we use:
 *   Driver Info:
 *       Driver name      : uvcvideo
 *       Card type        : HD Pro Webcam C920
 *       Bus info         : usb-0000:00:14.0-1
 *       Device Caps      : 0x04200001
 *           Video Capture
 *           Streaming
 *   Format Video Capture:
 *       Width/Height      : 1920/1080
 *       Pixel Format      : 'MJPG' (Motion-JPEG)
 */
export function parseV4l2Info(output: string): V4l2Info {
  const info: V4l2Info = { deviceCaps: [] };
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const field = /^\s+([A-Za-z/ ]+?)\s*:\s*(.*)$/.exec(line);
    if (!field) continue;
    const [, name, value] = field as unknown as [string, string, string];
    if (name === 'Driver name') info.driver ??= value.trim();
    else if (name === 'Card type') info.card ??= value.trim();
    else if (name === 'Bus info') info.busInfo ??= value.trim();
    else if (name === 'Width/Height' && info.width === undefined) {
      const size = /^(\d+)\/(\d+)/.exec(value);
      if (size) {
        info.width = Number(size[1]);
        info.height = Number(size[2]);
      }
    } else if (name === 'Pixel Format' && info.pixelFormat === undefined) {
      const fourcc = /'([^']{1,4})'/.exec(value);
      if (fourcc) info.pixelFormat = fourcc[1];
    } else if (name === 'Device Caps' && info.deviceCaps.length === 0) {
      const indent = /^\s*/.exec(line)![0].length;
      for (let j = i + 1; j < lines.length; j++) {
        const cap = lines[j]!;
        if (/^\s*$/.test(cap) || /^\s*/.exec(cap)![0].length <= indent || cap.includes(':')) break;
        info.deviceCaps.push(cap.trim());
      }
    }
  }
  return info;
}

/** True when the node can capture video (or when the tool did not list capabilities at all). */
export function canCapture(info: V4l2Info): boolean {
  return (
    info.deviceCaps.length === 0 ||
    info.deviceCaps.some((cap) => cap === 'Video Capture' || cap === 'Video Capture Multiplanar')
  );
}
