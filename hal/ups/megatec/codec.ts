/**
 * The Megatec "Q1" protocol of the cheap line-interactive UPSes sold in most offices (2400 baud 8N1),
 * pure: request bytes, reply parsing and formatting (for the emulator). No I/O here.
 *
 *   Q1<cr> → (MMM.M NNN.N PPP.P QQQ RR.R S.SS TT.T b7b6b5b4b3b2b1b0<cr>
 *            input V, input fault V, output V, load %, frequency Hz, battery V, temperature °C, status bits
 *   F<cr>  → #MMM.M QQQ SS.SS RR.R<cr>
 *            rated voltage, rated current, nominal battery voltage, rated frequency
 *
 * The battery voltage is the whole pack's on some models ("27.40") and per cell on others ("2.27").
 */

export const megatecRequest = {
  status: 'Q1\r',
  rating: 'F\r',
} as const;

export interface MegatecStatusBits {
  /** b7: mains lost, running on battery. */
  utilityFail: boolean;
  /** b6 */
  batteryLow: boolean;
  /** b5: AVR boost/buck (line-interactive) or bypass (online) active. */
  bypassBoost: boolean;
  /** b4 */
  upsFailed: boolean;
  /** b3: the UPS is a standby (offline/line-interactive) type; 0 = online type. A property, not a state. */
  standbyType: boolean;
  /** b2 */
  testInProgress: boolean;
  /** b1: the UPS will cut its output (a shutdown command is counting down). */
  shutdownActive: boolean;
  /** b0 */
  beeperOn: boolean;
}

export interface MegatecStatus {
  inputVoltage: number;
  inputFaultVoltage: number;
  outputVoltage: number;
  loadPercent: number;
  frequencyHz: number;
  batteryVoltage: number;
  /** Some models send "--.-" here. */
  temperatureC: number | null;
  bits: MegatecStatusBits;
}

export interface MegatecRating {
  voltage: number;
  current: number;
  batteryVoltage: number;
  frequencyHz: number;
}

export class MegatecParseError extends Error {
  override name = 'MegatecParseError';
}

const bitOrder: (keyof MegatecStatusBits)[] = [
  'utilityFail',
  'batteryLow',
  'bypassBoost',
  'upsFailed',
  'standbyType',
  'testInProgress',
  'shutdownActive',
  'beeperOn',
];

const number = String.raw`\d{1,3}(?:\.\d{1,2})?`;
const q1Pattern = new RegExp(
  String.raw`^\((${number}) (${number}) (${number}) (\d{1,3}) (${number}) (${number}) (-?${number}|-+\.?-*) ([01]{8})$`,
);
const ratingPattern = new RegExp(String.raw`^#(${number}) (\d{1,3}) (${number}) (${number})$`);

/**
 * Parses one Q1 reply (without or with its CR). Line noise before the opening parenthesis is
 * skipped: after a plug-in or a half-sent frame the line often starts with stray bytes.
 */
export function parseQ1(line: string): MegatecStatus {
  const text = fromLast(line, '(');
  const match = q1Pattern.exec(text);
  if (!match) throw new MegatecParseError(`not a Q1 reply: ${JSON.stringify(line.slice(0, 60))}`);
  const [, input, fault, output, load, frequency, battery, temperature, bits] = match as unknown as string[];
  return {
    inputVoltage: Number(input),
    inputFaultVoltage: Number(fault),
    outputVoltage: Number(output),
    loadPercent: Number(load),
    frequencyHz: Number(frequency),
    batteryVoltage: Number(battery),
    temperatureC: /\d/.test(temperature!) ? Number(temperature) : null,
    bits: Object.fromEntries(bitOrder.map((name, i) => [name, bits![i] === '1'])) as unknown as MegatecStatusBits,
  };
}

export function parseRating(line: string): MegatecRating {
  const text = fromLast(line, '#');
  const match = ratingPattern.exec(text);
  if (!match) throw new MegatecParseError(`not an F reply: ${JSON.stringify(line.slice(0, 60))}`);
  const [, voltage, current, battery, frequency] = match as unknown as string[];
  return {
    voltage: Number(voltage),
    current: Number(current),
    batteryVoltage: Number(battery),
    frequencyHz: Number(frequency),
  };
}

/** Formats a Q1 reply as a UPS sends it (fixed widths), for the emulator and for tests. */
export function formatQ1(status: MegatecStatus): string {
  const battery = status.batteryVoltage < 10 ? status.batteryVoltage.toFixed(2) : fixed(status.batteryVoltage, 2, 1);
  const temperature = status.temperatureC === null ? '--.-' : fixed(status.temperatureC, 2, 1);
  const bits = bitOrder.map((name) => (status.bits[name] ? '1' : '0')).join('');
  return `(${fixed(status.inputVoltage, 3, 1)} ${fixed(status.inputFaultVoltage, 3, 1)} ${fixed(status.outputVoltage, 3, 1)} ${String(Math.round(status.loadPercent)).padStart(3, '0')} ${fixed(status.frequencyHz, 2, 1)} ${battery} ${temperature} ${bits}\r`;
}

export function formatRating(rating: MegatecRating): string {
  return `#${fixed(rating.voltage, 3, 1)} ${String(rating.current).padStart(3, '0')} ${fixed(rating.batteryVoltage, 2, 2)} ${fixed(rating.frequencyHz, 2, 1)}\r`;
}

function fixed(value: number, integerDigits: number, decimals: number): string {
  return value.toFixed(decimals).padStart(integerDigits + 1 + decimals, '0');
}

function fromLast(line: string, start: string): string {
  const text = line.replace(/\r$/, '');
  const at = text.lastIndexOf(start);
  return at >= 0 ? text.slice(at) : text;
}
