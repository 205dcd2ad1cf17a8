/**
 * startPortal(): the reference portal as a running service — used in-process by the app's main
 * process in demo mode (random loopback port), by the tests, and by `npm run portal` (cli.ts).
 *
 *   const portal = await startPortal({ dataDir, seed: 'demo' });
 *   portal.url           // 'http://127.0.0.1:54321'
 *   await portal.close();
 */
import type { FastifyInstance } from 'fastify';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { createDeliveryRuntime, type DeliveryOptions } from './delivery/index.ts';
import { seedDemo } from './demo/seed.ts';
import { createMottoRuntime, type MottoOptions } from './motto/index.ts';
import { type BuildOptions, buildApp, type RouteModule } from './service/app.ts';
import type { PortalConfig, PortalContext, RateLimitRule } from './service/context.ts';
import { type TrustSources, TrustStore } from './service/trust.ts';

export const DEFAULT_APP_ORIGIN = 'app://myna-companion';

export interface StartPortalOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Where portal.sqlite lives; created if missing. */
  dataDir: string;
  /** CA certificates to trust in addition to the demo CAs (DER bytes or DER/PEM file paths). */
  trustAnchors?: TrustSources;
  /** CRLs (DER bytes or DER/PEM file paths; files are re-read by reloadCrls()). */
  crls?: TrustSources;
  /** Trust the FICTIONAL demo CAs and their CRLs. Default true; a real deployment sets false. */
  demoTrust?: boolean;
  /** CORS and state-changing requests are allowed from these origins. Default ['app://myna-companion']. */
  appOrigins?: string[];
  /** The origin login assertions must be signed for. Default: this portal's own URL origin. */
  expectedOrigin?: string;
  /** 'demo' writes the demo dataset (once per data directory). Default 'none'. */
  seed?: 'demo' | 'none';
  /** The clock (sessions, challenges, certificate validity, payments). */
  now?: () => Date;
  /** Serve https (then the session cookie is Secure). */
  https?: { key: string | Buffer; cert: string | Buffer };
  /** Override the cookie's Secure attribute (e.g. true behind a TLS-terminating proxy). */
  cookieSecure?: boolean;
  trustProxy?: boolean;
  /** Create residents for valid but unregistered auth certificates. Default true. */
  autoRegister?: boolean;
  session?: Partial<PortalConfig['session']>;
  challengeTtlSeconds?: number;
  rateLimits?: Partial<Record<keyof PortalConfig['rateLimits'], RateLimitRule>>;
  logger?: BuildOptions['logger'];
  /** SQLite synchronous mode. Default FULL. */
  synchronous?: 'FULL' | 'NORMAL';
  /** better-sqlite3's `.node` to load (Electron passes its own ABI build); default: its own lookup. */
  sqliteNativeBinding?: string;
  /**
   * Enables /api/v1/admin (application status changes) for requests with
   * `Authorization: Bearer <adminToken>` (at least 16 characters). Default: disabled.
   */
  adminToken?: string;
  /** 民間送達サービス連携: the webhook worker (retries, timeouts, which endpoints are allowed). */
  delivery?: DeliveryOptions;
  /** もっとつながる: assertion issuer (default: expectedOrigin, i.e. the portal URL) and lifetime (default 60 s). */
  motto?: MottoOptions;
  /** Extra route modules (later rounds, tests). */
  modules?: { public?: RouteModule[]; resident?: RouteModule[] };
}

export interface RunningPortal {
  /** e.g. 'http://127.0.0.1:54321' (no trailing slash). */
  url: string;
  /** The origin login assertions must be signed for. */
  expectedOrigin: string;
  app: FastifyInstance;
  /** Re-reads every CRL given as a file (and the demo CRLs). */
  reloadCrls(): { auth: number; sign: number; loadedAt: string };
  /** Stops listening, waits for in-flight requests, closes the database. Idempotent. */
  close(): Promise<void>;
}

const MINUTE = 60_000;

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startPortal(options: StartPortalOptions): Promise<RunningPortal> {
  const now = options.now ?? (() => new Date());
  const trust = new TrustStore(
    { trustAnchors: options.trustAnchors, crls: options.crls, demoTrust: options.demoTrust ?? true },
    now,
  );
  const config: PortalConfig = {
    expectedOrigin: options.expectedOrigin,
    appOrigins: options.appOrigins ?? [DEFAULT_APP_ORIGIN],
    challengeTtlSeconds: options.challengeTtlSeconds ?? 120,
    session: {
      idleSeconds: options.session?.idleSeconds ?? 30 * 60,
      absoluteSeconds: options.session?.absoluteSeconds ?? 8 * 3600,
      touchIntervalSeconds: options.session?.touchIntervalSeconds ?? 60,
    },
    cookieSecure: options.cookieSecure ?? options.https !== undefined,
    autoRegister: options.autoRegister ?? true,
    rateLimits: {
      challenge: options.rateLimits?.challenge ?? { max: 60, timeWindow: MINUTE },
      login: options.rateLimits?.login ?? { max: 20, timeWindow: MINUTE },
      submission: options.rateLimits?.submission ?? { max: 60, timeWindow: MINUTE },
    },
    bodyLimit: 64 * 1024,
    packageBodyLimit: 32 * 1024 * 1024,
    adminToken: options.adminToken,
  };
  if (options.adminToken !== undefined && options.adminToken.length < 16) {
    throw new Error('adminToken must be at least 16 characters');
  }

  const db = openDatabase(options.dataDir, {
    synchronous: options.synchronous ?? 'FULL',
    ...(options.sqliteNativeBinding ? { nativeBinding: options.sqliteNativeBinding } : {}),
  });
  let app: FastifyInstance | undefined;
  try {
    migrate(db, now);
    if (options.seed === 'demo') seedDemo(db);
    const delivery = createDeliveryRuntime(db, now, options.delivery);
    const motto = createMottoRuntime(options.dataDir, options.motto, now);
    const ctx: PortalContext = { db, now, config, trust, delivery, motto };
    app = await buildApp(ctx, {
      logger: options.logger,
      https: options.https,
      trustProxy: options.trustProxy,
      modules: options.modules,
    });
    app.addHook('onClose', async () => {
      await delivery.worker.stop();
      db.close();
    });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port ?? 0, host });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the portal is not listening on TCP');
    const url = `${options.https ? 'https' : 'http'}://${urlHost(host)}:${address.port}`;
    config.expectedOrigin ??= url;
    motto.issuer ??= config.expectedOrigin;
    const running = app;
    delivery.worker.setLog(running.log);
    delivery.worker.start();
    let closing: Promise<void> | undefined;
    return {
      url,
      expectedOrigin: config.expectedOrigin,
      app: running,
      reloadCrls: () => trust.reloadCrls(),
      close: () => {
        closing ??= running.close().then(() => undefined);
        return closing;
      },
    };
  } catch (e) {
    if (app) await app.close().catch(() => undefined);
    if (db.open) db.close();
    throw e;
  }
}
