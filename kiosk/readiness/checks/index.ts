import type { Devices } from '../../../hal/registry.js';
import type { MediaProbePort, TestRecorder } from '../ports.js';
import { tcpConnectMs } from '../tcp-connect.js';
import type { ReadinessCheck } from '../types.js';
import { cameraCheck, displayCheck, loopbackCheck, microphoneCheck, ptzCheck, upsCheck } from './devices.js';
import { testRecordingCheck } from './recording.js';
import { clockCheck, diskCheck, networkCheck, readNtpSynchronized, type StorageAdmit } from './system.js';

export interface CheckDependencies {
  devices: () => Devices;
  media: MediaProbePort;
  /** The storage policy's decision for a recording this big, as the session's start asks it. */
  admit: StorageAdmit;
  /** The room's recorder, for the test recording. */
  recorder: TestRecorder;
  expectedBytes: (seconds: number) => number;
  upsMarginSeconds: number;
  /** The program's frame rate (media.video.fps): what the test recording is judged against. */
  videoFps: number;
  testRecordingSeconds?: number;
  networkSamples?: number;
  /** Injected in tests; the real ones by default. */
  connect?: (host: string, port: number, timeoutMs: number) => Promise<number>;
  clockSynchronised?: (signal: AbortSignal) => Promise<boolean | undefined>;
}

/** Every readiness check, in the order the report shows them (kiểm thử: seed 003 art. 6.1). */
export function createChecks(deps: CheckDependencies): ReadinessCheck[] {
  return [
    cameraCheck(deps.devices, deps.media),
    ptzCheck(deps.devices),
    microphoneCheck(deps.devices, deps.media),
    loopbackCheck(deps.media),
    displayCheck(deps.devices),
    upsCheck(deps.devices, deps.upsMarginSeconds),
    diskCheck(deps.admit, deps.expectedBytes),
    networkCheck(deps.connect ?? tcpConnectMs, deps.networkSamples ?? 5),
    clockCheck(deps.clockSynchronised ?? readNtpSynchronized),
    testRecordingCheck(deps.devices, deps.recorder, { seconds: deps.testRecordingSeconds ?? 5, fps: deps.videoFps }),
  ];
}
