/**
 * The portal's HTTP API as the page calls it: `fetch(apiBase + path)` to its own origin, which
 * main (Electron: the app:// protocol; test host: its HTTP server) forwards to the configured
 * portal with the session cookie it keeps. Errors come back as UiError values.
 */
import type { IpcResult } from '../../../electron/ipc/result.ts';
import { fromProblem } from '../shared/errors.ts';

export interface Challenge {
  challengeId: string;
  challenge: string;
  expiresAt: string;
}

export interface LoginResponse {
  resident: { id: string; displayName: string | null };
  registered: boolean;
  session: { createdAt: string; expiresAt: string; idleTimeoutSeconds: number };
}

export interface Me {
  id: string;
  displayName: string | null;
  municipality: { code: string; prefecture: string; name: string } | null;
  session: { createdAt: string; expiresAt: string; idleExpiresAt: string; certificateSerial: string };
}

export class PortalApi {
  private readonly base: string;

  constructor(apiBase: string) {
    this.base = apiBase.replace(/\/+$/, '');
  }

  get<T>(path: string): Promise<IpcResult<T>> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<IpcResult<T>> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<IpcResult<T>> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch {
      return {
        ok: false,
        error: {
          code: 'PORTAL_NETWORK',
          message: { ja: 'ポータルに接続できませんでした。', en: 'Could not connect to the portal.' },
        },
      };
    }
    let json: unknown;
    if (res.status !== 204) {
      try {
        json = await res.json();
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) return { ok: false, error: fromProblem(res.status, json) };
    return { ok: true, value: json as T };
  }
}
