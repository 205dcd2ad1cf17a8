/**
 * The Electron half of the app:// scheme: privileges (before `ready`) and `protocol.handle`
 * on a session. Thin on purpose; the decisions are in app-handler.ts.
 */
import type { Protocol } from 'electron';
import type { AppProtocolHandler } from './app-handler.ts';

export const APP_SCHEME = 'app';

/**
 * For `protocol.registerSchemesAsPrivileged`, before `app` is ready: a standard, secure scheme
 * (real origins, relative URLs, a secure context) that the Fetch API can use, with CORS off —
 * no other origin may read from it. No service workers, no bypassing CSP, no streaming video.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: false,
    bypassCSP: false,
    allowServiceWorkers: false,
    stream: false,
    codeCache: false,
  },
} as const;

/** Installs the handler on one session's protocol (each partition has its own). */
export function handleAppProtocol(
  protocol: Pick<Protocol, 'handle' | 'isProtocolHandled'>,
  handler: AppProtocolHandler,
): void {
  if (protocol.isProtocolHandled(APP_SCHEME)) return;
  protocol.handle(
    APP_SCHEME,
    (request) => handler(request as unknown as Request) as unknown as Promise<GlobalResponse>,
  );
}
