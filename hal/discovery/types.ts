export type DiscoveredKind = 'camera' | 'serial' | 'audio';

/** A capture or control device found on this machine, as the technician's console lists it. */
export interface DiscoveredDevice {
  kind: DiscoveredKind;
  /** Stable key across scans: the first /dev/…/by-id link when there is one, else the node path. */
  key: string;
  /** The node to put in config: /dev/video0, /dev/ttyUSB0, hw:CARD=ArrayUAC10,DEV=0. */
  path: string;
  /** Human name: the card/product name the kernel or driver reports. */
  name: string;
  /** Persistent /dev/…/by-id links pointing at this node (stable across re-plugging, unlike video0). */
  byId: string[];
}

export interface DiscoveredChange {
  change: 'plugged' | 'unplugged';
  device: DiscoveredDevice;
  at: string;
}
