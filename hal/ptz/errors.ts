/**
 * Failures a PTZ command can end in, shared by every driver family so the kiosk can answer each one
 * clearly (not connected, timed out, refused by the camera, busy) without knowing the protocol.
 */
export class PtzError extends Error {
  override name = 'PtzError';
}

/** The driver is not connected (status is not `ok`), or it was closed while the command waited. */
export class PtzNotConnectedError extends PtzError {
  override name = 'PtzNotConnectedError';
}

/**
 * The camera did not answer in time. The command may or may not have acted; it is never re-sent
 * (a pan that ran twice moves the camera off the citizen), the caller decides what to do next.
 */
export class PtzTimeoutError extends PtzError {
  override name = 'PtzTimeoutError';
}

/** The camera answered with an error (syntax, buffer full, not executable now, cancelled…). */
export class PtzCommandError extends PtzError {
  override name = 'PtzCommandError';
  constructor(
    message: string,
    readonly reason: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

/** Too many commands waiting: a tapped-and-held button must not queue minutes of moves. */
export class PtzBusyError extends PtzError {
  override name = 'PtzBusyError';
}

/** The protocol or this camera cannot do that (e.g. Pelco-D has no position inquiry). */
export class PtzUnsupportedError extends PtzError {
  override name = 'PtzUnsupportedError';
}
