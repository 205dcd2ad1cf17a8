/**
 * Idempotency keys (the `Idempotency-Key` request header) for operations that create something:
 * payments now, application submissions in the intake round. A key is scoped to the resident and
 * the operation; it remembers a fingerprint of the request and the id of what it created.
 * The same key with the same request returns the same resource; with a different request it is
 * refused (422 IDEMPOTENCY_KEY_CONFLICT).
 *
 * Pattern for a handler (async work such as verification may happen between the steps):
 *   1. `const hit = findIdempotent(…)`; if hit → `assertSameRequest(hit, hash)`, return the stored resource;
 *   2. do the work;
 *   3. in ONE writeTx: `findIdempotent` again (a parallel request may have won: return its
 *      resource), insert the resource, `saveIdempotent(…)`.
 */
import type { Db } from '../db/database.ts';
import { prepared } from '../db/statements.ts';
import { problem } from './problem.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

export const idempotencyHeaderSchema = {
  type: 'object',
  required: [IDEMPOTENCY_HEADER],
  properties: {
    [IDEMPOTENCY_HEADER]: {
      type: 'string',
      minLength: 8,
      maxLength: 128,
      pattern: '^[A-Za-z0-9._:~+/=-]+$',
      description: 'A unique key per intended operation (e.g. a UUID); retries reuse it.',
    },
  },
} as const;

export interface IdempotencyHit {
  requestHash: string;
  resourceId: string;
}

export function findIdempotent(db: Db, residentId: string, scope: string, key: string): IdempotencyHit | undefined {
  const row = prepared(
    db,
    'SELECT request_hash, resource_id FROM idempotency_keys WHERE resident_id = ? AND scope = ? AND key = ?',
  ).get(residentId, scope, key) as { request_hash: string; resource_id: string } | undefined;
  return row && { requestHash: row.request_hash, resourceId: row.resource_id };
}

export function assertSameRequest(hit: IdempotencyHit, requestHash: string): void {
  if (hit.requestHash !== requestHash) {
    throw problem(
      'IDEMPOTENCY_KEY_CONFLICT',
      'this Idempotency-Key was already used with a different request; use a new key for a new operation',
    );
  }
}

export function saveIdempotent(
  db: Db,
  entry: { residentId: string; scope: string; key: string; requestHash: string; resourceId: string; at: string },
): void {
  prepared(
    db,
    'INSERT INTO idempotency_keys (resident_id, scope, key, request_hash, resource_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(entry.residentId, entry.scope, entry.key, entry.requestHash, entry.resourceId, entry.at);
}
