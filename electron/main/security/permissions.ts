/**
 * Permission requests and checks (Electron security checklist #5): Electron grants every
 * permission unless a handler says otherwise, so every session we create gets these handlers.
 * Nothing is granted — camera, microphone, notifications, geolocation, HID/serial/USB, Web
 * Smart Card (the card belongs to main alone), openExternal — except a sanitised clipboard
 * write from our own pages outside kiosk mode (copying a 受付番号). In kiosk mode the clipboard
 * would outlive the resident's session, so even that is refused.
 */
import { parseAppUrl } from './navigation.ts';

export const GRANTABLE_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

export interface PermissionPolicy {
  appOrigin: string;
  kiosk: boolean;
}

/**
 * `requestingUrl` is the requesting frame's URL or origin (Electron passes the origin to the
 * check handler and the frame URL in the request handler's details).
 */
export function isPermissionGranted(
  permission: string,
  requestingUrl: string | undefined,
  policy: PermissionPolicy,
): boolean {
  if (policy.kiosk) return false;
  if (!GRANTABLE_PERMISSIONS.includes(permission)) return false;
  return requestingUrl !== undefined && parseAppUrl(requestingUrl, policy.appOrigin) !== undefined;
}

/** For `ses.setPermissionRequestHandler`. */
export function permissionRequestHandler(policy: PermissionPolicy) {
  return (
    _webContents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details: { requestingUrl?: string },
  ): void => {
    callback(isPermissionGranted(permission, details?.requestingUrl, policy));
  };
}

/** For `ses.setPermissionCheckHandler`. */
export function permissionCheckHandler(policy: PermissionPolicy) {
  return (_webContents: unknown, permission: string, requestingOrigin: string): boolean =>
    isPermissionGranted(permission, requestingOrigin, policy);
}
