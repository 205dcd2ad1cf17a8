/**
 * Settings (DESIGN §3: main owns them; electron-anchors §7): an electron-store file, read and
 * written only by main. The page sees SettingsView through IPC and may change the language and
 * the preferred reader; the portal URL, demo mode and kiosk mode are provisioned by main, the
 * CLI or an administrator's file.
 *
 * The service is written against conf's API (electron-store is a subclass of conf) so that it
 * runs in plain Node: tests use conf with a temp `cwd`; main passes electronStoreFactory
 * (electron-store-factory.ts, the only file that imports Electron).
 *
 * Opening a file, before the store sees it:
 * - absent → defaults, written;
 * - not JSON, or content the schema refuses → the file is moved aside to
 *   `<name>.corrupt-<timestamp>.json` (kept for the resident or support), defaults are used and
 *   written, and `recovered` says so, so the UI can tell the resident;
 * - an older schemaVersion → upgraded by the pure steps in migrations.ts, written back atomically;
 * - a NEWER schemaVersion (a downgraded app) → the file is kept untouched, defaults are used and
 *   nothing is ever saved (`readOnly`); if the file appears to provision a kiosk, kiosk mode stays
 *   on (fail closed: a kiosk must not turn into a personal install because of a downgrade).
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf, { type Schema } from 'conf';
import type { SettingsView } from '../../../ipc/contract.ts';
import { SettingsPatchSchema } from '../../../ipc/contract.ts';
import { fsyncDirSync, writeFileDurableSync } from '../../fs/durable-fs.ts';
import { upgradeSettings } from './migrations.ts';
import { normalisePortalUrl } from './portal-url.ts';
import {
  DEFAULT_SETTINGS,
  SETTINGS_JSON_SCHEMA,
  SETTINGS_ROOT_SCHEMA,
  type StoredSettings,
  StoredSettingsSchema,
} from './schema.ts';
import { SettingsError } from './settings-error.ts';

/** What the service needs of conf / electron-store. */
export type SettingsStore = Pick<Conf<StoredSettings>, 'store' | 'path'>;

export interface SettingsStoreOptions {
  /** The directory of the file (absolute). */
  cwd: string;
  /** The file name without `.json`. */
  name: string;
  schema: Schema<StoredSettings>;
  rootSchema: typeof SETTINGS_ROOT_SCHEMA;
  defaults: StoredSettings;
}

export type SettingsStoreFactory = (options: SettingsStoreOptions) => SettingsStore;

/** conf itself: tests, the CLI and the test host. */
export const confStoreFactory: SettingsStoreFactory = (o) =>
  new Conf<StoredSettings>({
    cwd: o.cwd,
    configName: o.name,
    schema: o.schema,
    rootSchema: o.rootSchema,
    defaults: o.defaults,
    clearInvalidConfig: false,
    watch: false,
  });

export interface SettingsOpenOptions {
  /** Where the file lives: app.getPath('userData') in Electron. */
  dir: string;
  /** File name without `.json`; default 'config' (electron-store's). */
  name?: string;
  /** For the backup's timestamp. */
  clock?: () => Date;
  /** Default: conf. Main passes electronStoreFactory. */
  store?: SettingsStoreFactory;
}

export interface SettingsRecovery {
  /** Where the unreadable file was moved. */
  backupPath: string;
  reason: 'invalid-json' | 'invalid-content';
}

export interface SettingsReadOnly {
  reason: 'future-version';
  /** The schemaVersion found in the file. */
  version: number;
}

export interface SettingsMigration {
  from: number;
  to: number;
  /** Keys whose old values could not be carried over (they got their defaults). */
  dropped: string[];
}

/** Main/CLI only (never from a page): what an administrator provisions. */
export interface ProvisionPatch {
  portalUrl?: string | null;
  demoMode?: boolean;
  kiosk?: { enabled?: boolean; idleTimeoutSeconds?: number };
}

const clone = (s: StoredSettings): StoredSettings => ({ ...s, kiosk: { ...s.kiosk } });

const sameSettings = (a: StoredSettings, b: StoredSettings) =>
  a.schemaVersion === b.schemaVersion &&
  a.language === b.language &&
  a.portalUrl === b.portalUrl &&
  a.demoMode === b.demoMode &&
  a.preferredReader === b.preferredReader &&
  a.kiosk.enabled === b.kiosk.enabled &&
  a.kiosk.idleTimeoutSeconds === b.kiosk.idleTimeoutSeconds;

export function toView(s: StoredSettings): SettingsView {
  return {
    language: s.language,
    portalUrl: s.portalUrl,
    demoMode: s.demoMode,
    preferredReader: s.preferredReader,
    kiosk: { enabled: s.kiosk.enabled, idleTimeoutSeconds: s.kiosk.idleTimeoutSeconds },
  };
}

/** `20261127T035948123Z`: sortable and valid in a file name on every platform. */
function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('.', '');
}

type Opened =
  | { kind: 'fresh' }
  | { kind: 'ok'; settings: StoredSettings; rewrite: boolean; migration: SettingsMigration | null }
  | { kind: 'corrupt'; reason: SettingsRecovery['reason'] }
  | { kind: 'future'; version: number; kioskEnabled: boolean };

function inspect(path: string): Opened {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'fresh' };
    throw e; // unreadable (permissions, a directory…): not ours to move aside
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { kind: 'corrupt', reason: 'invalid-json' };
  }
  const r = upgradeSettings(doc);
  if (r.kind === 'future') return { kind: 'future', version: r.version, kioskEnabled: r.kioskEnabled };
  if (r.kind === 'invalid') return { kind: 'corrupt', reason: 'invalid-content' };
  const migration =
    r.from < r.settings.schemaVersion ? { from: r.from, to: r.settings.schemaVersion, dropped: r.dropped } : null;
  // Rewrite when migrated or when the defaults filled keys the file left out.
  const rewrite = migration !== null || !sameAsFile(doc, r.settings);
  return { kind: 'ok', settings: r.settings, rewrite, migration };
}

function sameAsFile(doc: unknown, s: StoredSettings): boolean {
  return JSON.stringify(doc) === JSON.stringify(s);
}

export class SettingsService {
  /** The settings file. */
  readonly path: string;
  /** Set when the file could not be read and was moved aside (tell the resident). */
  readonly recovered: SettingsRecovery | null;
  /** Set when the file is from a newer app: nothing is saved, the file is untouched. */
  readonly readOnly: SettingsReadOnly | null;
  /** Set when an older file was upgraded on open. */
  readonly migrated: SettingsMigration | null;

  private readonly store: SettingsStore | null;
  private current: StoredSettings;
  private readonly listeners = new Set<(view: SettingsView) => void>();

  private constructor(init: {
    path: string;
    store: SettingsStore | null;
    current: StoredSettings;
    recovered: SettingsRecovery | null;
    readOnly: SettingsReadOnly | null;
    migrated: SettingsMigration | null;
  }) {
    this.path = init.path;
    this.store = init.store;
    this.current = init.current;
    this.recovered = init.recovered;
    this.readOnly = init.readOnly;
    this.migrated = init.migrated;
  }

  static open(options: SettingsOpenOptions): SettingsService {
    const name = options.name ?? 'config';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) || name.includes('..')) {
      throw new TypeError('settings name must be a plain file name (letters, digits, . _ -)');
    }
    const clock = options.clock ?? (() => new Date());
    const factory = options.store ?? confStoreFactory;
    const path = join(options.dir, `${name}.json`);
    const opened = inspect(path);

    if (opened.kind === 'future') {
      const current = clone(DEFAULT_SETTINGS);
      current.kiosk.enabled = opened.kioskEnabled;
      return new SettingsService({
        path,
        store: null,
        current,
        recovered: null,
        readOnly: { reason: 'future-version', version: opened.version },
        migrated: null,
      });
    }

    let recovered: SettingsRecovery | null = null;
    if (opened.kind === 'corrupt') {
      recovered = { backupPath: moveAside(options.dir, name, clock()), reason: opened.reason };
    } else if (opened.kind === 'ok' && opened.rewrite) {
      writeFileDurableSync(path, `${JSON.stringify(opened.settings, null, '\t')}\n`, 0o644);
    }

    const store = factory({
      cwd: options.dir,
      name,
      schema: SETTINGS_JSON_SCHEMA,
      rootSchema: SETTINGS_ROOT_SCHEMA,
      defaults: clone(DEFAULT_SETTINGS),
    });
    // What the store reads back is checked once more: it is what we will run with.
    const current = StoredSettingsSchema.parse(store.store);
    return new SettingsService({
      path: store.path,
      store,
      current,
      recovered,
      readOnly: null,
      migrated: opened.kind === 'ok' ? opened.migration : null,
    });
  }

  /**
   * Whether open() on this folder would run in kiosk mode, read without writing anything (no
   * migration written back, no corrupt file moved aside, so open() later still reports it):
   * main refuses debug switches from a provisioned kiosk before any service starts. Throws
   * where open() would (a file it cannot read).
   */
  static kioskEnabled(options: Pick<SettingsOpenOptions, 'dir' | 'name'>): boolean {
    const name = options.name ?? 'config';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) || name.includes('..')) {
      throw new TypeError('settings name must be a plain file name (letters, digits, . _ -)');
    }
    const opened = inspect(join(options.dir, `${name}.json`));
    if (opened.kind === 'ok') return opened.settings.kiosk.enabled;
    if (opened.kind === 'future') return opened.kioskEnabled;
    return DEFAULT_SETTINGS.kiosk.enabled;
  }

  /** Everything stored (main only). A copy. */
  get(): StoredSettings {
    return clone(this.current);
  }

  /** What the page sees (contract SettingsView). */
  view(): SettingsView {
    return toView(this.current);
  }

  /** A provisioned kiosk: the file says kiosk.enabled; the page may change the language only. */
  get provisioned(): boolean {
    return this.current.kiosk.enabled;
  }

  /** The page's change (settings:set). Refused as a whole when any part of it is refused. */
  update(patch: unknown): SettingsView {
    const parsed = SettingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      throw new SettingsError('SETTINGS_INVALID', { field: parsed.error.issues[0]?.path.join('.') || '(patch)' });
    }
    const p = parsed.data;
    this.assertWritable();
    if (this.provisioned && p.preferredReader !== undefined) {
      throw new SettingsError('SETTINGS_PROVISIONED', { field: 'preferredReader' });
    }
    const next = clone(this.current);
    if (p.language !== undefined) next.language = p.language;
    if (p.preferredReader !== undefined) next.preferredReader = p.preferredReader;
    return this.commit(next);
  }

  /** Main / CLI only. null: the embedded demo portal. Stored as its normalised origin. */
  setPortalUrl(url: string | null): SettingsView {
    return this.provision({ portalUrl: url });
  }

  /** Main / CLI only: what an administrator provisions (also on a provisioned kiosk). */
  provision(patch: ProvisionPatch): SettingsView {
    this.assertWritable();
    const next = clone(this.current);
    if (patch.portalUrl === null) next.portalUrl = null;
    else if (patch.portalUrl !== undefined) {
      const n = normalisePortalUrl(String(patch.portalUrl));
      if (!n.ok) throw new SettingsError('PORTAL_URL_INVALID', { rule: n.rule });
      next.portalUrl = n.origin;
    }
    if (patch.demoMode !== undefined) next.demoMode = patch.demoMode;
    if (patch.kiosk?.enabled !== undefined) next.kiosk.enabled = patch.kiosk.enabled;
    if (patch.kiosk?.idleTimeoutSeconds !== undefined) next.kiosk.idleTimeoutSeconds = patch.kiosk.idleTimeoutSeconds;
    const checked = StoredSettingsSchema.safeParse(next);
    if (!checked.success) {
      throw new SettingsError('SETTINGS_INVALID', { field: checked.error.issues[0]?.path.join('.') || '(patch)' });
    }
    return this.commit(checked.data);
  }

  /** Called after every saved change with the new view. */
  onChange(listener: (view: SettingsView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private assertWritable(): void {
    if (this.readOnly || !this.store) {
      throw new SettingsError('SETTINGS_READ_ONLY', { version: this.readOnly?.version ?? 0 });
    }
  }

  private commit(next: StoredSettings): SettingsView {
    if (sameSettings(next, this.current)) return this.view();
    if (!this.store) throw new SettingsError('SETTINGS_READ_ONLY');
    // conf validates against the JSON schema and writes atomically; a refusal leaves both the
    // file and `current` as they were.
    this.store.store = clone(next);
    this.current = clone(next);
    const view = this.view();
    for (const l of this.listeners) l(view);
    return view;
  }
}

/** Moves the unreadable file to `<name>.corrupt-<timestamp>.json` (never overwriting one). */
function moveAside(dir: string, name: string, at: Date): string {
  const base = `${name}.corrupt-${stamp(at)}`;
  for (let i = 0; i < 1000; i++) {
    const candidate = join(dir, i === 0 ? `${base}.json` : `${base}-${i}.json`);
    if (existsSync(candidate)) continue;
    renameSync(join(dir, `${name}.json`), candidate);
    fsyncDirSync(dir);
    return candidate;
  }
  throw new Error('too many corrupt settings backups');
}
