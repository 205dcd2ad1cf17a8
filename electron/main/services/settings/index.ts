/**
 * The settings service's public surface. electronStoreFactory is NOT re-exported here (it
 * imports Electron): main imports it from './electron-store-factory.ts' and passes it to
 * SettingsService.open({ dir, store: electronStoreFactory }).
 */
export { type UpgradeResult, upgradeSettings, v1ToV2 } from './migrations.ts';
export { isLoopbackHost, normalisePortalUrl, type PortalUrlRule, portalUrlProblem } from './portal-url.ts';
export {
  CURRENT_SCHEMA_VERSION,
  DEFAULT_SETTINGS,
  SETTINGS_JSON_SCHEMA,
  SETTINGS_ROOT_SCHEMA,
  type StoredSettings,
  StoredSettingsSchema,
} from './schema.ts';
export {
  isSettingsError,
  SettingsError,
  type SettingsErrorCode,
  type SettingsErrorDetails,
} from './settings-error.ts';
export {
  confStoreFactory,
  type ProvisionPatch,
  type SettingsMigration,
  type SettingsOpenOptions,
  type SettingsReadOnly,
  type SettingsRecovery,
  SettingsService,
  type SettingsStore,
  type SettingsStoreFactory,
  type SettingsStoreOptions,
  toView,
} from './settings-service.ts';
