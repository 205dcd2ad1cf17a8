/**
 * What the settings file holds (electron-anchors §7): the contract's SettingsView plus our own
 * `schemaVersion`, nothing else. Never a PIN, a password, card data, a certificate, a session
 * token or anything personal: every level of the schema is closed (`additionalProperties:
 * false`), so such a key cannot even be written by mistake.
 *
 * The same rules exist twice on purpose, and a test keeps them equal: as JSON Schema for
 * electron-store/conf (ajv checks every write) and as a zod schema built on the IPC contract
 * (the service checks a file before it hands it to the store, so that it can recover from a bad
 * one instead of throwing).
 */
import type { Schema } from 'conf';
import { z } from 'zod';
import { SettingsViewSchema } from '../../../ipc/contract.ts';
import { storedPortalUrlProblem } from './portal-url.ts';

export const CURRENT_SCHEMA_VERSION = 2;

export type StoredSettings = z.output<typeof StoredSettingsSchema>;

export const DEFAULT_IDLE_TIMEOUT_SECONDS = 120;

export const DEFAULT_SETTINGS: StoredSettings = Object.freeze({
  schemaVersion: CURRENT_SCHEMA_VERSION,
  language: 'ja',
  /** null: the embedded demo portal (DESIGN §1: `npm start` with no configuration). */
  portalUrl: null,
  demoMode: true,
  preferredReader: null,
  kiosk: Object.freeze({ enabled: false, idleTimeoutSeconds: DEFAULT_IDLE_TIMEOUT_SECONDS }),
}) as StoredSettings;

export const StoredSettingsSchema = SettingsViewSchema.extend({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
})
  .strict()
  .superRefine((s, ctx) => {
    if (s.portalUrl === null) return;
    const p = storedPortalUrlProblem(s.portalUrl);
    if (p) ctx.addIssue({ code: 'custom', path: ['portalUrl'], message: p.rule });
  });

/**
 * A stored portal URL is an origin as URL.origin prints it (lower-case host, punycode, default
 * port dropped): https with any host, or http on a loopback host. ajv cannot call
 * storedPortalUrlProblem(), so this pattern says the same for the normalised form.
 */
export const STORED_PORTAL_URL_PATTERN =
  '^(?:https://(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])' +
  '|http://(?:localhost|127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|\\[::1\\]))(?::[0-9]{1,5})?$';

/** The `schema` option of conf/electron-store: one JSON Schema per top-level key. */
export const SETTINGS_JSON_SCHEMA: Schema<StoredSettings> = {
  schemaVersion: { type: 'integer', const: CURRENT_SCHEMA_VERSION },
  language: { type: 'string', enum: ['ja', 'en'] },
  portalUrl: {
    anyOf: [{ type: 'null' }, { type: 'string', maxLength: 2048, pattern: STORED_PORTAL_URL_PATTERN }],
  },
  demoMode: { type: 'boolean' },
  preferredReader: { anyOf: [{ type: 'null' }, { type: 'string', maxLength: 256 }] },
  kiosk: {
    type: 'object',
    additionalProperties: false,
    required: ['enabled', 'idleTimeoutSeconds'],
    properties: {
      enabled: { type: 'boolean' },
      idleTimeoutSeconds: { type: 'integer', minimum: 15, maximum: 3600 },
    },
  },
};

/** The `rootSchema` option: the file is exactly these keys. */
export const SETTINGS_ROOT_SCHEMA = {
  additionalProperties: false,
  required: ['schemaVersion', 'language', 'portalUrl', 'demoMode', 'preferredReader', 'kiosk'],
} as const;
