/**
 * What every route and hook of the portal shares: the database, the clock, the configuration
 * and the trust store. Hung on the Fastify instance as `app.portal`; the authenticated resident
 * of a request is `request.auth`.
 */
import type { Db } from '../db/database.ts';
import type { DeliveryRuntime } from '../delivery/index.ts';
import type { MottoRuntime } from '../motto/index.ts';
import type { TrustStore } from './trust.ts';

export interface RateLimitRule {
  /** Requests per window per client address. */
  max: number;
  /** Window length in milliseconds. */
  timeWindow: number;
}

export interface PortalConfig {
  /**
   * The origin login assertions must be signed for (DESIGN §4 "Login": the app binds the portal
   * origin it is configured for). Default: the portal's own URL origin, known once it listens.
   */
  expectedOrigin: string | undefined;
  /** Origins allowed by CORS (credentials included) and for state-changing requests. */
  appOrigins: string[];
  /** Challenge lifetime, seconds. */
  challengeTtlSeconds: number;
  session: {
    /** Idle timeout, seconds. */
    idleSeconds: number;
    /** Absolute lifetime, seconds. */
    absoluteSeconds: number;
    /** last_seen_at is written at most this often, seconds (reads stay read-only in between). */
    touchIntervalSeconds: number;
  };
  /** Set the session cookie's Secure attribute. */
  cookieSecure: boolean;
  /** Create a resident for a valid auth certificate no resident has registered. */
  autoRegister: boolean;
  rateLimits: {
    challenge: RateLimitRule;
    login: RateLimitRule;
    /** Reserved for application submission (intake round). */
    submission: RateLimitRule;
  };
  /** Default body limit, bytes (package uploads set their own). */
  bodyLimit: number;
  /** Body limit for signed-package uploads, bytes. */
  packageBodyLimit: number;
  /**
   * Bearer token of the administrator/test hooks under /api/v1/admin (application status
   * changes). Undefined (the default): those routes are not registered at all.
   */
  adminToken?: string | undefined;
}

export interface PortalContext {
  db: Db;
  now: () => Date;
  config: PortalConfig;
  trust: TrustStore;
  /** 民間送達サービス連携: endpoint policy and the webhook worker (set by startPortal). */
  delivery?: DeliveryRuntime;
  /** もっとつながる: signing keys, issuer, assertion lifetime (set by startPortal). */
  motto?: MottoRuntime;
}

/** The resident a request is authenticated as (set by the session hook on /api/v1/me routes). */
export interface RequestAuth {
  residentId: string;
  sessionIdHash: string;
  sessionCreatedAt: string;
  sessionExpiresAt: string;
  idleExpiresAt: string;
  certificateSerial: string;
}

/** Every route the app registered (HEAD and OPTIONS included), for the OpenAPI completeness test. */
export interface RegisteredRoute {
  method: string;
  url: string;
  hidden: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    portal: PortalContext;
    portalRoutes: RegisteredRoute[];
  }
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

/** The authenticated resident, for handlers behind the session hook. */
export function authOf(request: { auth: RequestAuth | null }): RequestAuth {
  if (!request.auth) throw new Error('route reached without a session (missing session hook)');
  return request.auth;
}
