/**
 * Errors as the page shows them: always an IpcError-shaped value ({code, message: {ja, en}}),
 * whether it came from main (IpcResult), from the portal (an RFC 9457 problem document) or from
 * a transport failure. Each code may add a remedy where main's message does not say what to do.
 */
import type { IpcError, IpcResult } from '../../../electron/ipc/result.ts';
import type { Text } from './i18n.tsx';

export type UiError = IpcError;

/** Runs a bridge call; a rejected promise (bridge gone, transport closed) becomes an error value. */
export async function call<T>(fn: () => Promise<IpcResult<T>>): Promise<IpcResult<T>> {
  try {
    const r = await fn();
    if (r && typeof r === 'object' && 'ok' in r) return r;
    return { ok: false, error: internalError() };
  } catch {
    return { ok: false, error: bridgeError() };
  }
}

export function internalError(): UiError {
  return {
    code: 'INTERNAL',
    message: {
      ja: '予期しないエラーが発生しました。もう一度お試しください。',
      en: 'Something unexpected went wrong. Please try again.',
    },
  };
}

export function bridgeError(): UiError {
  return {
    code: 'BRIDGE_UNAVAILABLE',
    message: {
      ja: 'アプリ本体との接続が切れました。',
      en: 'The connection to the app was lost.',
    },
  };
}

/** What to do next, for codes whose message from main or the portal does not already say it. */
const REMEDIES: Record<string, Text> = {
  BRIDGE_UNAVAILABLE: { ja: 'アプリを再起動してください。', en: 'Restart the app.' },
  CONSENT_CANCELLED: {
    ja: '続けるには、もう一度操作してください。確認画面が開きます。',
    en: 'To continue, start the operation again; the confirmation window will open.',
  },
  NOT_AVAILABLE: {
    ja: 'デモモードまたは通常モードで起動し直すと使える場合があります。',
    en: 'Restarting the app in another mode may make it available.',
  },
  PORTAL_REFUSED: {
    ja: '内容を確認して、もう一度お試しください。続く場合は市区町村の窓口にお問い合わせください。',
    en: 'Check the details and try again; if it persists, contact your municipal office.',
  },
  NOT_FOUND: { ja: '画面を更新して、もう一度お試しください。', en: 'Refresh and try again.' },
  FORBIDDEN_SENDER: { ja: 'アプリを再起動してください。', en: 'Restart the app.' },
  BAD_REQUEST: { ja: 'アプリを最新版に更新してください。', en: 'Update the app to the latest version.' },
  UNAUTHENTICATED: { ja: 'マイナンバーカードでログインしてください。', en: 'Log in with your My Number Card.' },
  SESSION_EXPIRED: { ja: 'もう一度ログインしてください。', en: 'Log in again.' },
  PORTAL_NETWORK: {
    ja: 'ネットワーク接続を確認して、もう一度お試しください。',
    en: 'Check the network connection and try again.',
  },
  PORTAL_ERROR: {
    ja: 'しばらく時間をおいて、もう一度お試しください。',
    en: 'Wait a moment and try again.',
  },
};

export function remedyOf(error: UiError): Text | undefined {
  return REMEDIES[error.code];
}

interface ProblemDocument {
  code?: unknown;
  title?: unknown;
  titleJa?: unknown;
  detail?: unknown;
  detailJa?: unknown;
}

/** An RFC 9457 problem document from the portal → UiError (title + detail in each language). */
export function fromProblem(status: number, body: unknown): UiError {
  const p = (body && typeof body === 'object' ? body : {}) as ProblemDocument;
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const code = str(p.code) ?? 'PORTAL_ERROR';
  const en = str(p.title) ?? `The portal answered with an error (HTTP ${status}).`;
  const ja = str(p.titleJa) ?? `ポータルがエラーを返しました（HTTP ${status}）。`;
  const detailJa = str(p.detailJa);
  return {
    code,
    message: { ja: detailJa ? `${ja}（${detailJa}）` : ja, en: str(p.detail) ? `${en} (${str(p.detail)})` : en },
    details: { status },
  };
}
