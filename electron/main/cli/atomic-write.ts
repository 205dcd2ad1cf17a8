/**
 * No partial output: a signature or package is written to a temporary file in the target's
 * directory, flushed, then renamed over the target in one step. If anything fails, the
 * temporary file is removed and the target is untouched (absent, or its previous content).
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../../../native/cli/secret-input.ts';

/** Checks before any card work that `target` can be written (so no password is spent in vain). */
export function assertWritableTarget(target: string): void {
  const abs = resolve(target);
  const dir = dirname(abs);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch {
    throw new UsageError(`出力先のフォルダがありません / output directory does not exist: ${dir}`);
  }
  if (!st.isDirectory()) throw new UsageError(`not a directory: ${dir}`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`出力先に書き込めません / cannot write to ${dir}`);
  }
  try {
    if (!statSync(abs).isFile()) throw new UsageError(`出力先がファイルではありません / not a regular file: ${abs}`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // absent: fine
  }
}

/** The temporary name used for `target` (exported for tests). */
export function temporaryNameFor(target: string): string {
  const abs = resolve(target);
  return resolve(dirname(abs), `.${basename(abs)}.${randomBytes(6).toString('hex')}.partial`);
}

export function writeFileAtomic(target: string, data: Uint8Array, mode = 0o644): void {
  const abs = resolve(target);
  const tmp = temporaryNameFor(abs);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, abs);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
    throw e;
  }
  try {
    const dfd = openSync(dirname(abs), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is best effort (not supported everywhere, e.g. Windows).
  }
}
