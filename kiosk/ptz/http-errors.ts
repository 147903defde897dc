import {
  PtzBusyError,
  PtzCommandError,
  PtzNotConnectedError,
  PtzTimeoutError,
  PtzUnsupportedError,
} from '../../hal/ptz/errors.js';
import { HttpError } from '../core/http.js';

/**
 * A camera failure as the answer the kiosk shows: 503 when the camera is not there, 504 when it did
 * not answer in time (the move may have happened), 502 when it refused, 429 when too many wait.
 */
export function ptzHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof PtzTimeoutError) return new HttpError(504, 'ptz_timeout', error.message);
  if (error instanceof PtzNotConnectedError) return new HttpError(503, 'ptz_unavailable', error.message);
  if (error instanceof PtzBusyError) return new HttpError(429, 'ptz_busy', error.message);
  if (error instanceof PtzCommandError)
    return new HttpError(502, 'ptz_refused', error.message, {
      reason: error.reason,
      ...(error.code !== undefined ? { code: error.code } : {}),
    });
  if (error instanceof PtzUnsupportedError) return new HttpError(501, 'ptz_unsupported', error.message);
  if (error instanceof RangeError) return new HttpError(400, 'ptz_out_of_range', error.message);
  return undefined;
}
