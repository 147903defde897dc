import {
  PtzBusyError,
  PtzCommandError,
  PtzNotConnectedError,
  PtzTimeoutError,
  PtzUnsupportedError,
} from '../../hal/ptz/errors.js';
import { DomainError } from '../core/domain-error.js';

/**
 * A camera failure in the PTZ service's words, whoever asked (kiosk, console, speaker tracking): not
 * there, did not answer in time (the move may have happened), refused, too many commands waiting.
 * Anything else is returned as it was.
 */
export function ptzDeviceError(error: unknown): unknown {
  if (error instanceof PtzTimeoutError) return new DomainError('timeout', 'ptz_timeout', error.message);
  if (error instanceof PtzNotConnectedError) return new DomainError('unavailable', 'ptz_unavailable', error.message);
  if (error instanceof PtzBusyError) return new DomainError('too-many', 'ptz_busy', error.message);
  if (error instanceof PtzCommandError)
    return new DomainError('upstream-failed', 'ptz_refused', error.message, {
      reason: error.reason,
      ...(error.code !== undefined ? { code: error.code } : {}),
    });
  if (error instanceof PtzUnsupportedError) return new DomainError('unsupported', 'ptz_unsupported', error.message);
  if (error instanceof RangeError) return new DomainError('invalid', 'ptz_out_of_range', error.message);
  return error;
}
