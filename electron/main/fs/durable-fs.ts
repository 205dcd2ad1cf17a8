/**
 * Crash-safe file writes: a file is written under a temporary name in the same directory,
 * flushed (fsync), renamed over its target in one step, and the directory is flushed so that
 * the rename itself survives a power cut. A reader sees the old content or the new one, never a
 * mix, never an empty file.
 *
 * Directory fsync is not available everywhere (Windows refuses to open a directory for it): it
 * is skipped where the platform says so, and only there.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, promises as fsp, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The prefix every temporary file and directory of ours starts with (cleaned up at open). */
export const TEMP_PREFIX = '.tmp-';

export function temporaryPath(target: string): string {
  return join(dirname(target), `${TEMP_PREFIX}${basename(target)}.${randomBytes(6).toString('hex')}`);
}

const unsupportedDirSync = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EACCES' || code === 'EINVAL' || code === 'ENOTSUP';
};

export async function fsyncDir(dir: string): Promise<void> {
  let h: fsp.FileHandle | undefined;
  try {
    h = await fsp.open(dir, constants.O_RDONLY);
    await h.sync();
  } catch (e) {
    if (!unsupportedDirSync(e)) throw e;
  } finally {
    await h?.close();
  }
}

export function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch (e) {
    if (!unsupportedDirSync(e)) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes and flushes a new file (it must not exist yet). */
export async function writeNewFileSynced(path: string, data: Uint8Array | string, mode = 0o600): Promise<void> {
  const h = await fsp.open(path, 'wx', mode);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Replaces `target` with `data` atomically and durably. */
export async function writeFileDurable(target: string, data: Uint8Array | string, mode = 0o600): Promise<void> {
  const tmp = temporaryPath(target);
  try {
    await writeNewFileSynced(tmp, data, mode);
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dirname(target));
}

/** The synchronous twin (settings are read and written synchronously at start-up). */
export function writeFileDurableSync(target: string, data: Uint8Array | string, mode = 0o600): void {
  const tmp = temporaryPath(target);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw e;
  }
  fsyncDirSync(dirname(target));
}

/** Renames (a file or a directory) and flushes both parent directories. */
export async function renameDurable(from: string, to: string): Promise<void> {
  await fsp.rename(from, to);
  await fsyncDir(dirname(to));
  if (dirname(from) !== dirname(to)) await fsyncDir(dirname(from));
}
