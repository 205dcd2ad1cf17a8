/**
 * The portal's SQLite database (better-sqlite3): one file in the data directory, WAL journal,
 * foreign keys enforced, synchronous=FULL (a committed payment or application survives a power
 * cut, not only a crash). Every write goes through `writeTx` — one IMMEDIATE transaction, so a
 * request's writes land together or not at all.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const DATABASE_FILE = 'portal.sqlite';

export interface OpenOptions {
  /** Default FULL. NORMAL is still crash-safe in WAL mode but may lose the last commits on power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * better-sqlite3's `nativeBinding`: the `.node` file to load instead of its own lookup. Only the
   * Electron main process sets it (native/addon-resolve.ts betterSqliteNativeBinding()), to use
   * the Electron-ABI build; default: better-sqlite3's own binary.
   */
  nativeBinding?: string;
}

export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(
    join(dataDir, DATABASE_FILE),
    options.nativeBinding ? { nativeBinding: options.nativeBinding } : undefined,
  );
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    if (db.pragma('foreign_keys', { simple: true }) !== 1) throw new Error('SQLite refused foreign_keys=ON');
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') throw new Error('SQLite refused journal_mode=WAL');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Runs `fn` in one IMMEDIATE transaction (rolled back if it throws) and returns its result. */
export function writeTx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
