/**
 * Our own settings migrations (electron-anchors §7: conf's `migrations` is unsupported upstream
 * and keyed on the app version; we keep a `schemaVersion` and pure, tested upgrade steps).
 *
 * Version history
 *   1 (app 0.1): flat keys, no closed schema —
 *       { schemaVersion: 1, lang: 'ja' | 'ja-JP' | 'en' | 'en-US' | …, portalUrl?: string | null,
 *         demoMode?: boolean, preferredReader?: string | null, kioskMode?: boolean,
 *         kioskIdleSeconds?: number (0 meant "never"), windowBounds?: {…}, … }
 *     Some 0.1 builds also kept `recentReaders` and `lastResident` (a display name: personal data
 *     that never belonged in a settings file).
 *   2 (now): exactly the IPC contract's SettingsView + schemaVersion, closed at every level;
 *     the portal URL is an origin (https, or http on loopback); a kiosk always has an idle reset
 *     (15…3600 s).
 *
 * A step reads only the keys it knows: whatever else a v1 file held (window state, the personal
 * data above) is left behind. A value v2 cannot accept is replaced by its default and listed in
 * `dropped`, so the UI can say what was not carried over.
 */
import { z } from 'zod';
import { normalisePortalUrl } from './portal-url.ts';
import {
  CURRENT_SCHEMA_VERSION,
  DEFAULT_IDLE_TIMEOUT_SECONDS,
  DEFAULT_SETTINGS,
  type StoredSettings,
  StoredSettingsSchema,
} from './schema.ts';

export type UpgradeResult =
  /** `from` is the version the file had; `dropped` the v(n) keys whose values could not be kept. */
  | { kind: 'ok'; settings: StoredSettings; from: number; dropped: string[] }
  /** Written by a newer app. `kioskEnabled`: the file appears to provision a kiosk (fail closed). */
  | { kind: 'future'; version: number; kioskEnabled: boolean }
  | { kind: 'invalid'; reason: string };

type Doc = Record<string, unknown>;
type Step = (doc: Doc, dropped: string[]) => Doc;

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

const V1Schema = z.object({
  schemaVersion: z.literal(1),
  lang: z.string().max(35).optional(),
  portalUrl: z.string().max(4096).nullable().optional(),
  demoMode: z.boolean().optional(),
  preferredReader: z.string().nullable().optional(),
  kioskMode: z.boolean().optional(),
  kioskIdleSeconds: z.number().optional(),
}); // not strict: v1 files hold keys we deliberately do not carry over

/** v1 → v2 (pure). Throws on a file that is not a v1 file. */
export function v1ToV2(doc: Doc, dropped: string[]): Doc {
  const v1 = V1Schema.parse(doc);

  const primary = (v1.lang ?? 'ja').toLowerCase().split(/[-_]/)[0];
  const language = primary === 'en' ? 'en' : 'ja';
  if (v1.lang !== undefined && primary !== 'en' && primary !== 'ja') dropped.push('lang');

  let portalUrl: string | null = null;
  if (v1.portalUrl) {
    const n = normalisePortalUrl(v1.portalUrl);
    // v1 accepted paths and plain http anywhere; a path is dropped (the portal is an origin), a
    // URL that is unacceptable (http off loopback) is not carried over: the embedded demo portal
    // is used until an administrator sets an https one.
    const origin = n.ok ? n.origin : originOfPath(v1.portalUrl);
    if (origin !== undefined) portalUrl = origin;
    else dropped.push('portalUrl');
  }

  let preferredReader = v1.preferredReader ?? null;
  if (preferredReader !== null && (preferredReader.length === 0 || preferredReader.length > 256)) {
    preferredReader = null;
    dropped.push('preferredReader');
  }

  let idle = DEFAULT_IDLE_TIMEOUT_SECONDS;
  const s = v1.kioskIdleSeconds;
  if (s !== undefined) {
    if (Number.isFinite(s) && s > 0) idle = Math.min(3600, Math.max(15, Math.round(s)));
    else dropped.push('kioskIdleSeconds'); // 0 ("never") is no longer allowed for a kiosk
  }

  return {
    schemaVersion: 2,
    language,
    portalUrl,
    demoMode: v1.demoMode ?? true,
    preferredReader,
    kiosk: { enabled: v1.kioskMode ?? false, idleTimeoutSeconds: idle },
  };
}

/** A v1 URL with a path (`https://portal.example.jp/app/`): its origin, when that is acceptable. */
function originOfPath(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.username || u.password) return undefined;
    const n = normalisePortalUrl(u.origin);
    return n.ok ? n.origin : undefined;
  } catch {
    return undefined;
  }
}

/** STEPS[n] upgrades a version-n document to version n+1. */
export const STEPS: Readonly<Record<number, Step>> = Object.freeze({ 1: v1ToV2 });

/**
 * A current-version file may leave keys out (an administrator's minimal provisioning file:
 * `{"schemaVersion": 2, "kiosk": {"enabled": true}}`): the defaults fill them, and a portal URL
 * written with a trailing slash or upper case is normalised. Unknown keys are not removed here;
 * validation refuses them.
 */
export function withDefaults(doc: Doc): Doc {
  const out: Doc = { ...DEFAULT_SETTINGS, ...doc };
  // Administrators write `https://portal.example.jp/`: store its normalised origin. A URL that
  // is not acceptable stays as it is and validation refuses it.
  if (typeof doc.portalUrl === 'string') {
    const n = normalisePortalUrl(doc.portalUrl);
    if (n.ok) out.portalUrl = n.origin;
  }
  if (doc.kiosk === undefined) out.kiosk = { ...DEFAULT_SETTINGS.kiosk };
  else if (isObject(doc.kiosk)) out.kiosk = { ...DEFAULT_SETTINGS.kiosk, ...doc.kiosk };
  return out;
}

/** Brings any settings document to the current version, or says why it cannot (pure). */
export function upgradeSettings(doc: unknown, steps: Readonly<Record<number, Step>> = STEPS): UpgradeResult {
  if (!isObject(doc)) return { kind: 'invalid', reason: 'not a JSON object' };
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return { kind: 'invalid', reason: 'no valid schemaVersion' };
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    const kiosk = doc.kiosk;
    const kioskEnabled = (isObject(kiosk) && kiosk.enabled === true) || doc.kioskMode === true;
    return { kind: 'future', version, kioskEnabled };
  }
  const dropped: string[] = [];
  let current: Doc = doc;
  for (let v = version; v < CURRENT_SCHEMA_VERSION; v++) {
    const step = steps[v];
    if (!step) return { kind: 'invalid', reason: `no migration from schemaVersion ${v}` };
    try {
      current = step(current, dropped);
    } catch (e) {
      return { kind: 'invalid', reason: `not a valid version ${v} file (${e instanceof Error ? e.name : 'error'})` };
    }
  }
  const parsed = StoredSettingsSchema.safeParse(withDefaults(current));
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)');
    return { kind: 'invalid', reason: `schema: ${[...new Set(where)].join(', ')}` };
  }
  return { kind: 'ok', settings: parsed.data, from: version, dropped };
}
