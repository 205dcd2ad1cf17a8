/** The municipality-side (admin / test) routes' guard, shared by every admin route. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { PortalContext } from './context.ts';
import { problem } from './problem.ts';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** `Authorization: Bearer <adminToken>`, compared in constant time (hashes of equal length). */
export function requireAdmin(ctx: PortalContext, request: FastifyRequest): void {
  const token = ctx.config.adminToken;
  const header = request.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,512})$/.exec(header) : null;
  if (!token || !m || !timingSafeEqual(sha256(m[1] as string), sha256(token))) {
    throw problem('ADMIN_UNAUTHORIZED', 'send Authorization: Bearer <the portal’s admin token>');
  }
}
