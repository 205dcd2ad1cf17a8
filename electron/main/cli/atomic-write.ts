/**
 * No partial output: the CLI checks its target before any card work, and writes it with
 * fs/durable-fs.ts (temporary file, fsync, rename, directory fsync) — the same writer the
 * settings and the outbox use — so a failure leaves the target absent or as it was.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../../native/cli/secret-input.ts';
import { writeFileDurableSync } from '../fs/durable-fs.ts';

/** A file the resident can read like any other output (not the 0600 of main's own state). */
export function writeFileAtomic(target: string, data: Uint8Array): void {
  writeFileDurableSync(resolve(target), data, 0o644);
}

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
