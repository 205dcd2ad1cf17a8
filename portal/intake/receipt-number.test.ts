import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, writeTx } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { eraYear, formatReceiptNumber, nextReceiptNumber, RECEIPT_NUMBER_PATTERN } from './receipt-number.ts';
import { canTransition, STATUS_TRANSITIONS } from './status.ts';

const dir = mkdtempSync(join(tmpdir(), 'myna-receipt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('受付番号', () => {
  it('era year in Japan time: 令和 from 2019-05-01, 平成 before', () => {
    expect(eraYear(new Date('2026-01-01T00:00:00+09:00'))).toBe('R8');
    expect(eraYear(new Date('2025-12-31T23:59:59+09:00'))).toBe('R7');
    expect(eraYear(new Date('2025-12-31T15:00:00Z'))).toBe('R8'); // already 2026 in Japan
    expect(eraYear(new Date('2019-05-01T00:00:00+09:00'))).toBe('R1');
    expect(eraYear(new Date('2019-04-30T23:59:59+09:00'))).toBe('H31');
    expect(eraYear(new Date('1989-01-08T00:00:00+09:00'))).toBe('H1');
  });

  it('format: era-municipality-sequence, six digits at least', () => {
    expect(formatReceiptNumber('R8', '131016', 123)).toBe('R8-131016-000123');
    expect(formatReceiptNumber('R8', '131016', 1_234_567)).toBe('R8-131016-1234567');
    expect(new RegExp(RECEIPT_NUMBER_PATTERN).test('R8-131016-000123')).toBe(true);
  });

  it('counts per era year and municipality, never reusing a number', () => {
    const db = openDatabase(dir);
    migrate(db);
    const at = new Date('2026-06-01T00:00:00Z');
    const next = (code: string, d = at) => writeTx(db, () => nextReceiptNumber(db, code, d));
    expect(next('131016')).toBe('R8-131016-000001');
    expect(next('131016')).toBe('R8-131016-000002');
    expect(next('141003')).toBe('R8-141003-000001');
    expect(next('131016', new Date('2027-01-05T00:00:00Z'))).toBe('R9-131016-000001');
    // a rolled-back transaction does not consume a number
    expect(() =>
      writeTx(db, () => {
        nextReceiptNumber(db, '131016', at);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(next('131016')).toBe('R8-131016-000003');
    db.close();
  });
});

describe('status workflow', () => {
  it('受付済 → 審査中 → 完了 / 差戻し, nothing else', () => {
    expect(canTransition('received', 'under-review')).toBe(true);
    expect(canTransition('under-review', 'completed')).toBe(true);
    expect(canTransition('under-review', 'returned')).toBe(true);
    expect(canTransition('received', 'completed')).toBe(false);
    expect(canTransition('completed', 'returned')).toBe(false);
    expect(STATUS_TRANSITIONS.completed).toEqual([]);
    expect(STATUS_TRANSITIONS.returned).toEqual([]);
  });
});
