/**
 * 受付番号 of an application: `<era letter><era year>-<municipality code>-<sequence>`, e.g.
 * `R8-131016-000123` — the 123rd application received by 千代田区 (131016) in 令和8年 (2026),
 * counted in Japan time. The sequence has at least six digits (more once a municipality passes
 * 999,999 in a year) and comes from `application_receipt_counters`, incremented inside the
 * storing transaction, so numbers are unique and never reused.
 */
import type { Db } from '../db/database.ts';
import { prepared } from '../db/statements.ts';
import { jstDate } from '../service/util.ts';

/** Japanese eras since 明治 (start dates in Japan time), newest first. */
const ERAS = [
  { letter: 'R', start: '2019-05-01' },
  { letter: 'H', start: '1989-01-08' },
  { letter: 'S', start: '1926-12-25' },
  { letter: 'T', start: '1912-07-30' },
  { letter: 'M', start: '1868-10-23' },
] as const;

/** `R8` for an instant in 令和8年 (Japan time). */
export function eraYear(at: Date): string {
  const date = jstDate(at);
  const era = ERAS.find((e) => date >= e.start);
  if (!era) throw new RangeError(`no Japanese era for ${date}`);
  return `${era.letter}${Number(date.slice(0, 4)) - Number(era.start.slice(0, 4)) + 1}`;
}

export const RECEIPT_NUMBER_PATTERN = '^[A-Z][0-9]{1,2}-[0-9]{6}-[0-9]{6,}$';

export function formatReceiptNumber(era: string, municipalityCode: string, sequence: number): string {
  return `${era}-${municipalityCode}-${String(sequence).padStart(6, '0')}`;
}

/** The next 受付番号; call inside the write transaction that stores the application. */
export function nextReceiptNumber(db: Db, municipalityCode: string, at: Date): string {
  const era = eraYear(at);
  const row = prepared(
    db,
    `INSERT INTO application_receipt_counters (era_year, municipality_code, last_sequence) VALUES (?, ?, 1)
       ON CONFLICT (era_year, municipality_code) DO UPDATE SET last_sequence = last_sequence + 1
       RETURNING last_sequence`,
  ).get(era, municipalityCode) as { last_sequence: number };
  return formatReceiptNumber(era, municipalityCode, row.last_sequence);
}
