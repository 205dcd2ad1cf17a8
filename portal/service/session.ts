/**
 * Sessions: an opaque random id (32 bytes, base64url) in the `myna_session` cookie — HttpOnly,
 * SameSite=Strict, Path=/api/v1, Secure when served over https. Only SHA-256 of the id is
 * stored, so a copy of the database opens no session. Idle timeout and absolute lifetime are
 * enforced on every request; expiring a session writes nothing (an expired row is simply no
 * longer honoured, and old rows are pruned at the next login).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Db, writeTx } from '../db/database.ts';
import type { PortalContext, RequestAuth } from './context.ts';
import { problem } from './problem.ts';
import { sha256Hex } from './util.ts';

export const SESSION_COOKIE = 'myna_session';
export const COOKIE_PATH = '/api/v1';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

interface SessionRow {
  id_hash: string;
  resident_id: string;
  certificate_serial: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
}

const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

export function cookieOptions(ctx: PortalContext, maxAgeSeconds?: number) {
  return {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.config.cookieSecure,
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** Creates a session row (inside the caller's transaction); returns the cookie value. */
export function createSession(
  db: Db,
  ctx: PortalContext,
  residentId: string,
  certificateSerial: string,
): { token: string; createdAt: string; expiresAt: string } {
  const token = randomBytes(32).toString('base64url');
  const createdAt = ctx.now().toISOString();
  const expiresAt = plus(createdAt, ctx.config.session.absoluteSeconds);
  db.prepare(
    `INSERT INTO sessions (id_hash, resident_id, certificate_serial, created_at, last_seen_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(sha256Hex(token), residentId, certificateSerial, createdAt, createdAt, expiresAt);
  return { token, createdAt, expiresAt };
}

/** The live session a cookie value names, or why there is none. */
export function lookupSession(
  ctx: PortalContext,
  token: string | undefined,
): { auth: RequestAuth; touch: boolean } | { error: 'UNAUTHENTICATED' | 'SESSION_EXPIRED' } {
  if (!token || !TOKEN.test(token)) return { error: 'UNAUTHENTICATED' };
  const idHash = sha256Hex(token);
  const row = ctx.db.prepare('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as SessionRow | undefined;
  if (!row || row.ended_at !== null) return { error: 'UNAUTHENTICATED' };
  const now = ctx.now().getTime();
  const idleExpires = Date.parse(row.last_seen_at) + ctx.config.session.idleSeconds * 1000;
  if (now >= Date.parse(row.expires_at) || now >= idleExpires) return { error: 'SESSION_EXPIRED' };
  const touch = now - Date.parse(row.last_seen_at) >= ctx.config.session.touchIntervalSeconds * 1000;
  const lastSeen = touch ? now : Date.parse(row.last_seen_at);
  return {
    touch,
    auth: {
      residentId: row.resident_id,
      sessionIdHash: idHash,
      sessionCreatedAt: row.created_at,
      sessionExpiresAt: row.expires_at,
      idleExpiresAt: new Date(
        Math.min(lastSeen + ctx.config.session.idleSeconds * 1000, Date.parse(row.expires_at)),
      ).toISOString(),
      certificateSerial: row.certificate_serial,
    },
  };
}

/** onRequest hook for resident routes: 401 without a live session, else `request.auth`. */
export async function requireSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const ctx = request.server.portal;
  const found = lookupSession(ctx, request.cookies[SESSION_COOKIE]);
  if ('error' in found) {
    if (request.cookies[SESSION_COOKIE] !== undefined) reply.clearCookie(SESSION_COOKIE, cookieOptions(ctx));
    throw problem(
      found.error,
      found.error === 'SESSION_EXPIRED' ? 'the session has expired; log in again' : 'no valid session; log in first',
    );
  }
  if (found.touch) {
    writeTx(ctx.db, () =>
      ctx.db
        .prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ? AND ended_at IS NULL')
        .run(ctx.now().toISOString(), found.auth.sessionIdHash),
    );
  }
  request.auth = found.auth;
}

/** Ends a session (inside the caller's transaction). */
export function endSession(db: Db, idHash: string, at: string, reason: 'logout' | 'replaced'): boolean {
  return (
    db
      .prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id_hash = ? AND ended_at IS NULL')
      .run(at, reason, idHash).changes === 1
  );
}

/** Deletes sessions that ended or expired more than a day ago (inside the caller's transaction). */
export function pruneSessions(db: Db, now: Date): void {
  const cutoff = new Date(now.getTime() - 86400_000).toISOString();
  db.prepare('DELETE FROM sessions WHERE expires_at < ? OR (ended_at IS NOT NULL AND ended_at < ?)').run(
    cutoff,
    cutoff,
  );
}
