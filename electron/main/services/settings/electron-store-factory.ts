/**
 * The settings store in Electron's main process: electron-store (a conf subclass that imports
 * `electron` at module top, so this is the one settings file tests never import).
 *
 * Deliberately NOT called: `ElectronStore.initRenderer()` — it registers an ipcMain listener
 * with no sender check for sandboxed-incapable `sendSync` reads (electron-anchors §7). Pages read
 * settings through the typed IPC contract only. No `encryptionKey` (obfuscation, not security)
 * and no conf `migrations` (we run our own, migrations.ts).
 */
import ElectronStore from 'electron-store';
import type { StoredSettings } from './schema.ts';
import type { SettingsStoreFactory } from './settings-service.ts';

export const electronStoreFactory: SettingsStoreFactory = (o) =>
  new ElectronStore<StoredSettings>({
    cwd: o.cwd,
    name: o.name,
    schema: o.schema,
    rootSchema: o.rootSchema,
    defaults: o.defaults,
    clearInvalidConfig: false,
    watch: false,
  });
