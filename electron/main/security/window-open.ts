/**
 * `window.open`, `target=_blank` and middle-click (Electron security checklist #14): no page
 * ever gets a new window. An allowlisted https link is handed to the user's browser instead
 * (checklist #15), except in kiosk mode, where nothing leaves the terminal.
 */
import { externalUrl } from './external.ts';

export interface WindowOpenPolicy {
  kiosk: boolean;
  allowedHosts: readonly string[];
}

export interface WindowOpenDecision {
  action: 'deny';
  /** The normalised URL to pass to safeOpenExternal, when the link may open in the browser. */
  openExternal?: string;
}

export function decideWindowOpen(url: string, policy: WindowOpenPolicy): WindowOpenDecision {
  if (policy.kiosk) return { action: 'deny' };
  const safe = externalUrl(url, policy.allowedHosts);
  return safe === undefined ? { action: 'deny' } : { action: 'deny', openExternal: safe };
}
