/** CEC <Report Power Status> operand (CEC 1.4 table 26). */
export type CecPowerStatus = 'on' | 'standby' | 'to-on' | 'to-standby';

const byCode: Record<number, CecPowerStatus> = { 0: 'on', 1: 'standby', 2: 'to-on', 3: 'to-standby' };

export type CecReply =
  | { kind: 'power-status'; status: CecPowerStatus }
  /** The TV did not acknowledge: it is unplugged, off at the wall, or its CEC is disabled. */
  | { kind: 'not-acknowledged' }
  /** Acknowledged, but no <Report Power Status> came back within cec-ctl's reply timeout. */
  | { kind: 'no-reply' };

/**
 * Parses `cec-ctl --to 0 --give-device-power-status` output. The reply appears as
 *   `Received from TV (0 to 4): REPORT_POWER_STATUS (0x90):`
 *   `    pwr-state: standby (0x01)`
 * a transmit the TV did not take shows `Tx, Not Acknowledged` (or `Tx, Error`).
 */
export function parsePowerStatusReply(output: string): CecReply {
  const state = /pwr-state:\s*[a-z -]+\((0x[0-9a-f]{2})\)/i.exec(output);
  if (state) {
    const status = byCode[Number.parseInt(state[1]!, 16)];
    if (status) return { kind: 'power-status', status };
  }
  if (/Not Acknowledged|Tx, Error|Tx, Arbitration Lost/i.test(output)) return { kind: 'not-acknowledged' };
  return { kind: 'no-reply' };
}

/** A TV turning on is already "on" for the schedule; one going to standby is already off. */
export function isOn(status: CecPowerStatus): boolean {
  return status === 'on' || status === 'to-on';
}
