/**
 * Prepared statements, compiled once per database handle. better-sqlite3 has no statement cache
 * of its own: every `db.prepare(sql)` parses and plans the SQL again, which for the intake's
 * dozen statements per application cost ~2 ms — more than storing the application itself.
 * A Statement stays valid for as long as its database is open (SQLite re-prepares it by itself
 * after a schema change), so keeping it per handle changes nothing but the work.
 *
 * Only for statements used as they come (`get`, `all`, `run`): a cached statement is shared by
 * every caller of the same SQL, so never switch its modes (`pluck`, `raw`, `expand`,
 * `safeIntegers`) — prepare such a statement with `db.prepare` instead. The SQL must be a
 * constant (or one of a few variants): it is the cache key.
 */
import type Database from 'better-sqlite3';
import type { Db } from './database.ts';

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

export function prepared(db: Db, sql: string): Database.Statement {
  let byDb = statements.get(db);
  if (!byDb) {
    byDb = new Map();
    statements.set(db, byDb);
  }
  let s = byDb.get(sql);
  if (!s) {
    s = db.prepare(sql);
    byDb.set(sql, s);
  }
  return s;
}
