/**
 * One outbox item on disk: `items/<id>/item.json` (metadata only) next to
 * `items/<id>/package.mynapkg` (the signed bytes). item.json is the contract's OutboxItem plus
 * what delivery needs — the idempotency key, the package's SHA-256 (to notice a damaged file
 * before sending it) and the count of failures in a row (the backoff exponent). Nothing of the
 * application's content: no form value, no name, no certificate.
 */
import { z } from 'zod';
import { type OutboxItem, OutboxItemSchema } from '../../../ipc/contract.ts';

export const ITEMS_DIR = 'items';
export const QUARANTINE_DIR = 'quarantine';
export const ITEM_FILE = 'item.json';
export const PACKAGE_FILE = 'package.mynapkg';
export const ITEM_FORMAT = 1;

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const StoredItemSchema = OutboxItemSchema.extend({
  format: z.literal(ITEM_FORMAT),
  id: z.string().regex(UUID_V4),
  idempotencyKey: z.string().regex(UUID_V4),
  packageSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Failed attempts in a row since the last success, login, manual retry or restart. */
  streak: z.number().int().min(0),
})
  .strict()
  .superRefine((item, ctx) => {
    if (item.state === 'delivered' && !item.receipt) {
      ctx.addIssue({ code: 'custom', path: ['receipt'], message: 'a delivered item has a receipt' });
    }
    if (item.state === 'rejected' && !item.lastError) {
      ctx.addIssue({ code: 'custom', path: ['lastError'], message: 'a rejected item says why' });
    }
    for (const k of ['createdAt', 'nextAttemptAt'] as const) {
      const v = item[k];
      if (v !== undefined && Number.isNaN(Date.parse(v))) {
        ctx.addIssue({ code: 'custom', path: [k], message: 'not a timestamp' });
      }
    }
  });

export type StoredItem = z.output<typeof StoredItemSchema>;

export const isTerminal = (s: OutboxItem['state']) => s === 'delivered' || s === 'rejected';

/** The contract's view of an item (what crosses IPC): no key, no hash, no counters of ours. */
export function toOutboxItem(s: StoredItem): OutboxItem {
  const v: OutboxItem = {
    id: s.id,
    createdAt: s.createdAt,
    procedureId: s.procedureId,
    municipalityCode: s.municipalityCode,
    fingerprint: s.fingerprint,
    packageBytes: s.packageBytes,
    state: s.state,
    attempts: s.attempts,
  };
  if (s.nextAttemptAt !== undefined) v.nextAttemptAt = s.nextAttemptAt;
  if (s.lastError !== undefined) v.lastError = { code: s.lastError.code, message: { ...s.lastError.message } };
  if (s.receipt !== undefined) v.receipt = { ...s.receipt };
  return v;
}

/** item.json's text: keys in a fixed order, undefined members left out. */
export function serializeItem(s: StoredItem): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/** RFC 9562 version 4 from 16 random bytes. */
export function uuidV4(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new RangeError('uuidV4 needs 16 random bytes');
  const b = Uint8Array.from(bytes.subarray(0, 16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
