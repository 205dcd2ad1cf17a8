/**
 * Everything a session needs before a window of ours may load in it (Electron security
 * checklist #1, #5, #18): the app:// handler (each partition has its own protocol registry),
 * deny-all permission handlers, no device access, a request filter that lets only our origin
 * (and the portal origin the CSP names) through, and, in kiosk mode, no downloads.
 * Applied once per session; kiosk partitions are new sessions and get it too.
 */
import type { Session } from 'electron';
import type { AppProtocolHandler } from '../protocol/app-handler.ts';
import { handleAppProtocol } from '../protocol/register-protocol.ts';
import { permissionCheckHandler, permissionRequestHandler } from '../security/permissions.ts';
import { isAllowedRequest } from '../security/request-filter.ts';
import type { RunMode } from '../security/web-preferences.ts';

export interface SessionSetupOptions {
  appOrigin: string;
  portalOrigin: string;
  mode: RunMode;
  handler: AppProtocolHandler;
}

const prepared = new WeakSet<Session>();

export function prepareSession(ses: Session, options: SessionSetupOptions): Session {
  if (prepared.has(ses)) return ses;
  const kiosk = options.mode === 'kiosk';
  const policy = { appOrigin: options.appOrigin, kiosk };
  ses.setPermissionRequestHandler(permissionRequestHandler(policy));
  ses.setPermissionCheckHandler(permissionCheckHandler(policy));
  ses.setDevicePermissionHandler(() => false);
  ses.setSpellCheckerEnabled(false);
  const requestPolicy = {
    appOrigin: options.appOrigin,
    portalOrigin: options.portalOrigin,
    devTools: options.mode === 'development',
  };
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, requestPolicy) });
  });
  if (kiosk) ses.on('will-download', (event) => event.preventDefault());
  handleAppProtocol(ses.protocol, options.handler);
  prepared.add(ses);
  return ses;
}

/** Kiosk session end: everything the partition holds (electron-anchors §6). */
export async function wipeSession(ses: Session): Promise<void> {
  await ses.clearData();
  await ses.clearCache();
  await ses.clearAuthCache();
}
