import { randomBytes } from 'node:crypto';
import { open, rm, stat, truncate } from 'node:fs/promises';
import type { Logger } from '../core/logger.js';
import { SerialQueue } from '../core/serial-queue.js';

export const defaultReserveBytes = 16 * 1024 * 1024;
/** What one SQLITE_FULL takes from the reserve: room for many session-end writes, a quarter of it. */
export const reserveStepBytes = 4 * 1024 * 1024;

const chunkBytes = 1024 * 1024;
const noSpaceCodes = new Set(['ENOSPC', 'EDQUOT']);
/** `stat().blocks` counts 512-byte units whatever the filesystem's block size. */
const statBlockBytes = 512;

/**
 * A file of real, allocated blocks kept beside the database. When a recording fills the disk, the
 * file is deleted and its blocks are free for SQLite, so the end of the session (its state, the
 * catalogue rows, the signed timeline) can still be written.
 */
export class DiskReserve {
  #held = false;
  /** One operation at a time: a release that arrives during an ensure must find the file complete. */
  readonly #queue = new SerialQueue();

  constructor(
    readonly path: string,
    private readonly logger: Logger,
    readonly bytes = defaultReserveBytes,
  ) {}

  /** Whether the reserve was there, whole, at the last ensure() and not released since. */
  get held(): boolean {
    return this.#held;
  }

  /** Creates the reserve if it is missing or incomplete; false when the disk has no room for it. */
  ensure(): Promise<boolean> {
    return this.#queue.run(() => this.#ensure());
  }

  /**
   * Gives `bytes` of the reserve back to the filesystem (all of it by default) by shrinking the
   * file; returns the bytes freed (0 when nothing is left). Handing it out a step at a time keeps
   * the rest for the next write when another writer is still filling the disk.
   */
  release(bytes = this.bytes): Promise<number> {
    return this.#queue.run(() => this.#release(bytes));
  }

  async #ensure(): Promise<boolean> {
    const existing = await stat(this.path).catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? undefined : Promise.reject(error),
    );
    if (existing && existing.size >= this.bytes && existing.blocks * statBlockBytes >= this.bytes) {
      this.#held = true;
      return true;
    }
    this.#held = false;
    try {
      await this.#write();
    } catch (error) {
      await rm(this.path, { force: true });
      if (!noSpaceCodes.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      this.logger.warn({ path: this.path, bytes: this.bytes }, 'disk reserve not created: the disk is full');
      return false;
    }
    this.#held = true;
    this.logger.info({ path: this.path, bytes: this.bytes }, 'disk reserve created');
    return true;
  }

  /**
   * Random bytes, not zeros: a filesystem that compresses (btrfs, ZFS) or turns zero blocks into
   * holes would otherwise store next to nothing. The block count is then checked for the same reason.
   */
  async #write(): Promise<void> {
    const chunk = randomBytes(Math.min(chunkBytes, this.bytes));
    const handle = await open(this.path, 'w', 0o600);
    try {
      for (let written = 0; written < this.bytes; ) {
        const { bytesWritten } = await handle.write(chunk, 0, Math.min(chunk.length, this.bytes - written));
        written += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const { blocks } = await stat(this.path);
    if (blocks * statBlockBytes < this.bytes) {
      throw new Error(
        `disk reserve ${this.path}: the filesystem allocated ${blocks * statBlockBytes} of ${this.bytes} bytes written`,
      );
    }
  }

  async #release(bytes: number): Promise<number> {
    const existing = await stat(this.path).catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? undefined : Promise.reject(error),
    );
    this.#held = false;
    if (!existing) return 0;
    const keep = Math.max(0, existing.size - bytes);
    if (keep === 0) await rm(this.path, { force: true });
    else await truncate(this.path, keep);
    const left = keep === 0 ? 0 : (await stat(this.path)).blocks * statBlockBytes;
    const freed = existing.blocks * statBlockBytes - left;
    this.logger.info({ path: this.path, bytes: freed, left }, 'disk reserve released');
    return freed;
  }
}
