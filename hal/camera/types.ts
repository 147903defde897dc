import type { Driver } from '../core/driver.js';
import type { CameraConfig } from './config.js';

/** What the media worker needs to capture from this camera; pipelines are built from it. */
export type CameraSource = CameraConfig;

export interface CameraDevice extends Driver {
  readonly kind: 'camera';
  readonly source: CameraSource;
}
