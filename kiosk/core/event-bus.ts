import { TypedEmitter } from '../../hal/core/typed-emitter.js';
import type { DeviceSnapshot } from '../../hal/core/driver.js';
import type { ButtonName } from '../../hal/gpio/config.js';
import type { DiscoveredChange } from '../../hal/discovery/types.js';
import type { DiskStatus } from '../evidence/disk.js';
import type { SegmentInfo } from '../media/types.js';
import type { MediaEvents } from '../media/events.js';
import type { ReadinessAlert, ReadinessCompleted } from '../readiness/types.js';
import type { SessionGap, SessionStateChange } from '../session/bus-events.js';
import type { PowerAlert } from '../power/types.js';
import type { EvidenceAlert } from '../recording/ports.js';
import type { SecurityAlert } from '../auth/security-alert.js';
import type { TechnicianCallEvent } from '../room/technician-call.js';
import type { UpdateStatus } from '../update/status.js';
import type { Logger } from './logger.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * Events services publish to each other instead of calling each other's internals.
 * A feature adds its events here.
 */
export type AppEvents = MediaEvents & {
  deviceStatus: [snapshot: DeviceSnapshot];
  /** Someone is moving the camera by hand (kiosk or console PTZ controls): true at the start, false at the end. */
  ptzManualMove: [active: boolean];
  /** A camera preset was recalled or stored (kiosk/ptz), by a person or by speaker tracking. */
  ptzPreset: [event: { action: 'recalled' | 'stored'; name: string; slot: number; source: 'kiosk' | 'console' | 'tracking' }];
  /** A debounced press of a room button (GPIO). */
  roomButton: [name: ButtonName];
  /** A capture device appeared or disappeared (hal/discovery). */
  hardwarePlugged: [change: DiscoveredChange];
  /** The media engine closed (finalized) a recording segment; the evidence store catalogues it at once. */
  segmentClosed: [segment: SegmentInfo];
  /** Free space on the recordings disk fell to the warning or critical level (config evidence.disk). */
  diskLow: [status: DiskStatus];
  /** A reception session moved to another state (kiosk/session); persisted before it is published. */
  sessionStateChanged: [change: SessionStateChange];
  /** A span of a live session that could not be recorded (daemon or media worker crash). */
  sessionGap: [gap: SessionGap];
  /** A readiness test (kiểm thử) finished, whatever its outcome: the fleet shows it. */
  readinessCompleted: [run: ReadinessCompleted];
  /** The readiness test 2 hours before a session failed: the technician must act. */
  readinessAlert: [alert: ReadinessAlert];
  /** Mains power and UPS: on battery, back on line, critical, session ended for power, shutdown requested/failed (kiosk/power). */
  powerAlert: [alert: PowerAlert];
  /**
   * A recording was sealed and its folder made read-only (kiosk/recording): what central's anchor of
   * it needs (kiosk/fleet/anchoring.ts). `dir` is the folder's absolute path; hashes only, no identity.
   */
  recordingSealed: [sealed: {
    recordingId: string;
    sessionId: string | null;
    dir: string;
    at: string;
    /** SHA-256 of manifest.json's bytes. */
    manifestSha256: string;
    signingKeyFingerprint: string;
    /** The manifest's segment chain head. */
    chainHead: string;
    /** The newest audit log entry at the seal (seq 0 and the genesis hash when the log is empty). */
    auditHead: { seq: number; hash: string };
  }];
  /** A recording could not be sealed (kiosk/recording): central monitoring and the technician must see it. */
  evidenceAlert: [alert: EvidenceAlert];
  /** A console login was revoked (logout, password changed, account disabled): its websockets close. */
  consoleAccessRevoked: [];
  /** Separation of duties: a right to read identities was granted or an identity holder's password reset (kiosk/auth). */
  securityAlert: [alert: SecurityAlert];
  /** A call for the technician was raised (touchscreen, room button) or acknowledged in the console (kiosk/room). */
  technicianCall: [call: TechnicianCallEvent];
  /** A software update moved to another step, or ended (kiosk/update): central monitoring shows it. */
  updateProgress: [status: UpdateStatus];
};

export type EventBus = TypedEmitter<AppEvents>;

export function createEventBus(logger: Logger): EventBus {
  return new TypedEmitter<AppEvents>((error, event) => logger.error({ event, err: describeError(error) }, 'event listener threw'));
}
