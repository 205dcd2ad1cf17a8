import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoResidentIds } from '../../resources/demo/load.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { dbDigest } from '../service/test-support.ts';
import { isValidMunicipalityCode } from '../verify/index.ts';
import { seedDemo } from './seed.ts';

const dirs: string[] = [];
function seeded() {
  const d = mkdtempSync(join(tmpdir(), 'myna-portal-seed-'));
  dirs.push(d);
  const db = openDatabase(d);
  migrate(db);
  seedDemo(db);
  return db;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('demo seed', () => {
  const db = seeded();
  const all = <T>(sql: string) => db.prepare(sql).all() as T[];
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

  it('is deterministic and runs once per database', () => {
    const other = seeded();
    expect(dbDigest(other, ['schema_migrations'])).toEqual(dbDigest(db, ['schema_migrations']));
    const before = dbDigest(other);
    expect(seedDemo(other)).toEqual([]);
    expect(dbDigest(other)).toEqual(before);
    other.close();
  });

  it('has several municipalities with valid 全国地方公共団体コード', () => {
    const codes = all<{ code: string }>('SELECT code FROM municipalities').map((m) => m.code);
    expect(codes.length).toBeGreaterThanOrEqual(5);
    for (const c of codes) expect(isValidMunicipalityCode(c), c).toBe(true);
  });

  it('registers every demo resident with both certificates', () => {
    for (const id of demoResidentIds()) {
      expect(n(`SELECT count(*) AS n FROM resident_certificates WHERE resident_id = '${id}'`), id).toBe(2);
    }
  });

  it('gives every screen something real', () => {
    for (const id of demoResidentIds()) {
      expect(n(`SELECT count(*) AS n FROM exchanges WHERE resident_id = '${id}'`), id).toBeGreaterThan(0);
      expect(n(`SELECT count(*) AS n FROM self_info_records WHERE resident_id = '${id}'`), id).toBeGreaterThan(0);
      expect(n(`SELECT count(*) AS n FROM notices WHERE resident_id = '${id}'`), id).toBeGreaterThan(0);
    }
    // every 自己情報 category has data for some resident
    expect(
      n(
        'SELECT count(*) AS n FROM self_info_categories c WHERE NOT EXISTS (SELECT 1 FROM self_info_records r WHERE r.category_id = c.id)',
      ),
    ).toBe(0);
    // 不開示 records, every status, a payment due and a past payment
    expect(n('SELECT count(*) AS n FROM exchanges WHERE undisclosed = 1')).toBeGreaterThanOrEqual(3);
    expect(
      all<{ status: string }>('SELECT DISTINCT status FROM exchanges ORDER BY status').map((s) => s.status),
    ).toEqual(['cancelled', 'not-provided', 'provided', 'requesting']);
    expect(
      n(
        "SELECT count(*) AS n FROM notices n WHERE resident_id = 'resident-01' AND payment_amount IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.notice_id = n.id)",
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(n("SELECT count(*) AS n FROM payments WHERE resident_id = 'resident-01'")).toBe(1);
    expect(n("SELECT count(*) AS n FROM activity WHERE resident_id = 'resident-01'")).toBeGreaterThan(0);
  });
});
