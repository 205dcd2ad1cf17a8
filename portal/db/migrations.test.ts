import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { MIGRATIONS, MigrationError, migrate, schemaVersion } from './migrations.ts';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'myna-portal-db-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('database and migrations', () => {
  it('opens with WAL, foreign keys and synchronous=FULL', () => {
    const db = openDatabase(fresh());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('applies every migration once and records it in schema_migrations', () => {
    const dir = fresh();
    const db = openDatabase(dir);
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    db.close();
    const again = openDatabase(dir);
    expect(migrate(again)).toEqual([]);
    again.close();
  });

  it('refuses a database written by a newer portal', () => {
    const db = openDatabase(fresh());
    migrate(db);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    expect(() => migrate(db)).toThrow(MigrationError);
    db.close();
  });

  it('a failing migration leaves nothing behind', () => {
    const db = openDatabase(fresh());
    const broken = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE t (x); SELECT * FROM nope;' },
    ];
    expect(() => migrate(db, undefined, broken)).toThrow();
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('enforces foreign keys and CHECK constraints', () => {
    const db = openDatabase(fresh());
    migrate(db);
    expect(() =>
      db
        .prepare(
          "INSERT INTO sessions (id_hash, resident_id, certificate_serial, created_at, last_seen_at, expires_at) VALUES (?, 'nobody', '1', 'a', 'a', 'a')",
        )
        .run('0'.repeat(64)),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO residents (id, registered_via, created_at, updated_at, login_notification) VALUES ('r', 'seed', 'a', 'a', 1)",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO municipalities VALUES ('13101', 'x', 'x', 'x')").run()).toThrow(/CHECK/);
    db.close();
  });
});
