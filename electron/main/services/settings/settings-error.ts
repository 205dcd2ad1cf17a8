/**
 * Typed settings errors, shaped like CardError and SigningError (code, details, messageJa,
 * messageEn, toJSON) so that IPC maps all of them alike. Details name the rule, never a value.
 */
import type { PortalUrlRule } from './portal-url.ts';

export type SettingsErrorCode =
  /** setPortalUrl(): not https, http off loopback, not an origin… (details.rule). */
  | 'PORTAL_URL_INVALID'
  /** A patch that does not fit the schema (details.field). */
  | 'SETTINGS_INVALID'
  /** A provisioned kiosk: only the language may be changed from the app. */
  | 'SETTINGS_PROVISIONED'
  /** The file was written by a newer version of the app: it is kept untouched, nothing is saved. */
  | 'SETTINGS_READ_ONLY';

export interface SettingsErrorDetails {
  rule?: PortalUrlRule;
  field?: string;
  /** SETTINGS_READ_ONLY: the schemaVersion found in the file. */
  version?: number;
}

const RULE_TEXT: Record<PortalUrlRule, { ja: string; en: string }> = {
  malformed: { ja: 'URLとして読み取れません', en: 'it is not a URL' },
  scheme: { ja: 'https のURLを指定してください', en: 'it must be an https URL' },
  'not-loopback': {
    ja: 'http はこのコンピューター内（localhost）のポータルにだけ使えます。https を使ってください',
    en: 'plain http is only allowed for a portal on this computer (loopback); use https',
  },
  credentials: { ja: 'ユーザー名やパスワードを含めないでください', en: 'it must not contain a user name or password' },
  'not-origin': {
    ja: 'パス・クエリ・フラグメントを含めず、https://ホスト名[:ポート] の形で指定してください',
    en: 'give only scheme://host[:port], without a path, query or fragment',
  },
  host: { ja: 'ホスト名が正しくありません', en: 'the host name is not valid' },
  'too-long': { ja: 'URLが長すぎます', en: 'it is too long' },
  'not-normalised': { ja: 'URLの表記が正規化されていません', en: 'it is not written in its normalised form' },
};

function messagesFor(code: SettingsErrorCode, d: SettingsErrorDetails): { ja: string; en: string } {
  switch (code) {
    case 'PORTAL_URL_INVALID': {
      const r = d.rule ? RULE_TEXT[d.rule] : { ja: '使用できません', en: 'it cannot be used' };
      return {
        ja: `ポータルのURLを設定できません：${r.ja}。`,
        en: `The portal URL cannot be set: ${r.en}.`,
      };
    }
    case 'SETTINGS_INVALID':
      return {
        ja: `設定値が正しくありません（${d.field ?? '?'}）。設定は変更されていません。`,
        en: `The setting is not valid (${d.field ?? '?'}). Nothing was changed.`,
      };
    case 'SETTINGS_PROVISIONED':
      return {
        ja: 'この端末の設定は管理者が固定しています。変更できるのは表示言語だけです。',
        en: 'This terminal is provisioned by its administrator; only the display language can be changed.',
      };
    case 'SETTINGS_READ_ONLY':
      return {
        ja: '設定ファイルが新しいバージョンのアプリで作成されているため、設定を保存できません。アプリを更新してください。',
        en: 'The settings file was written by a newer version of the app, so settings cannot be saved. Update the app.',
      };
  }
}

export class SettingsError extends Error {
  readonly code: SettingsErrorCode;
  readonly details: SettingsErrorDetails;
  readonly messageJa: string;
  readonly messageEn: string;

  constructor(code: SettingsErrorCode, details: SettingsErrorDetails = {}) {
    const m = messagesFor(code, details);
    super(m.en);
    this.name = 'SettingsError';
    this.code = code;
    this.details = details;
    this.messageJa = m.ja;
    this.messageEn = m.en;
  }

  toJSON(): { code: SettingsErrorCode; message: string; messageJa: string; details: SettingsErrorDetails } {
    return { code: this.code, message: this.messageEn, messageJa: this.messageJa, details: this.details };
  }
}

export function isSettingsError(e: unknown, code?: SettingsErrorCode): e is SettingsError {
  return e instanceof SettingsError && (code === undefined || e.code === code);
}
