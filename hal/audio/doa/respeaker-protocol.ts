/**
 * The XVF-3000 DSP parameter protocol of ReSpeaker USB Mic Arrays, as vendor control transfers on
 * the device (request 0). A parameter is addressed by a resource id (wIndex) and an offset; reading
 * sets bit 7 of wValue, and bit 6 for integer parameters. The reply is 8 bytes: two little-endian
 * int32, the value and, for floats, a base-2 exponent (value × 2^exponent).
 */
export interface DspParameter {
  resource: number;
  offset: number;
  type: 'int' | 'float';
}

/** Direction of arrival in degrees (0…359), in the array's own frame. */
export const DOA_ANGLE: DspParameter = { resource: 21, offset: 0, type: 'int' };
/** Voice activity detector: 1 while someone speaks. */
export const VOICE_ACTIVITY: DspParameter = { resource: 19, offset: 32, type: 'int' };

export interface ControlTransferInSetup {
  requestType: 'vendor';
  recipient: 'device';
  request: number;
  value: number;
  index: number;
}

export const PARAMETER_REPLY_LENGTH = 8;

export function readParameterSetup(parameter: DspParameter): ControlTransferInSetup {
  return {
    requestType: 'vendor',
    recipient: 'device',
    request: 0,
    value: 0x80 | parameter.offset | (parameter.type === 'int' ? 0x40 : 0),
    index: parameter.resource,
  };
}

export function decodeParameter(parameter: DspParameter, reply: DataView): number {
  if (reply.byteLength < PARAMETER_REPLY_LENGTH)
    throw new RangeError(`DSP parameter reply of ${reply.byteLength} bytes, expected ${PARAMETER_REPLY_LENGTH}`);
  const value = reply.getInt32(0, true);
  return parameter.type === 'int' ? value : value * 2 ** reply.getInt32(4, true);
}

/** An angle turned by the mounting offset, back into 0…360. */
export function mountedAngle(deviceAngle: number, offset: number): number {
  return (((deviceAngle + offset) % 360) + 360) % 360;
}
