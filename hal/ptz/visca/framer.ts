import { MAX_PACKET_LENGTH, TERMINATOR } from './protocol.js';

export type FramerOutput = { type: 'packet'; bytes: Buffer } | { type: 'garbage'; bytes: Buffer };

/**
 * Splits a VISCA byte stream into packets at the 0xFF terminator, whatever the chunking.
 *
 * A packet starts with a header byte (bit 7 set, not 0xFF) and its body bytes have bit 7 clear
 * (the replies this driver asks for carry nibbles). So a stray byte before a header, a header
 * that interrupts a packet, or a packet longer than 16 bytes is line noise: it is reported as
 * garbage and skipped, and the next header starts clean. Used by both the driver and the emulator.
 */
export class ViscaFramer {
  #packet: number[] = [];
  #garbage: number[] = [];

  push(chunk: Uint8Array): FramerOutput[] {
    const out: FramerOutput[] = [];
    for (const byte of chunk) {
      if (this.#packet.length === 0) {
        if (byte & 0x80 && byte !== TERMINATOR) {
          this.#flushGarbage(out);
          this.#packet.push(byte);
        } else {
          this.#garbage.push(byte);
        }
        continue;
      }
      if (byte === TERMINATOR) {
        this.#packet.push(byte);
        out.push({ type: 'packet', bytes: Buffer.from(this.#packet) });
        this.#packet = [];
      } else if (byte & 0x80) {
        this.#garbage.push(...this.#packet);
        this.#flushGarbage(out);
        this.#packet = [byte];
      } else if (this.#packet.length >= MAX_PACKET_LENGTH - 1) {
        this.#garbage.push(...this.#packet, byte);
        this.#packet = [];
      } else {
        this.#packet.push(byte);
      }
    }
    // Garbage is reported once a run of it ends, but not held back forever if nothing follows.
    if (this.#packet.length === 0) this.#flushGarbage(out);
    return out;
  }

  /** Drops a half-received packet (after a reconnect the old bytes mean nothing). */
  reset(): void {
    this.#packet = [];
    this.#garbage = [];
  }

  #flushGarbage(out: FramerOutput[]): void {
    if (this.#garbage.length === 0) return;
    out.push({ type: 'garbage', bytes: Buffer.from(this.#garbage) });
    this.#garbage = [];
  }
}
