/**
 * The IPC contract (DESIGN §3): every channel between main and a window, declared once.
 *
 * Main validates every request and every response against these schemas; the preloads and
 * the test host's bridge expose exactly one function per entry (`fn`), so what a page can
 * ask main to do is this file and nothing else. There is deliberately no channel that sends
 * raw APDUs or signs caller-supplied bytes: the page can ask for a login assertion over a
 * portal challenge (main binds the origin itself) or for a signed application built by main
 * from a draft — in both cases after the resident has seen the consent window.
 *
 * Payloads are JSON-shaped (bytes as base64) so that the same contract runs over Electron's
 * IPC and over the test host's WebSocket.
 */
import { z } from 'zod';
import { type Channel, SURFACE, type WindowKind } from './surface.ts';

export { type Channel, channelsOf, isChannel, SURFACE, type WindowKind } from './surface.ts';

// ---------------------------------------------------------------------------------------------
// Shared value schemas

const Empty = z.object({}).strict();
const Base64 = z
  .string()
  .max(16 * 1024 * 1024)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
/** The portal's challenge arrives base64url-encoded; accept either alphabet. */
const Challenge = z
  .string()
  .min(20)
  .max(400)
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64 or base64url');
const Iso = z.string().max(40);
const Text = z.object({ ja: z.string(), en: z.string() }).strict();

export const PinKindSchema = z.enum(['auth', 'sign', 'kenhojo']);
export const BasicInfoField = z.enum(['name', 'address', 'birthDate', 'sex']);

const ReaderSchema = z.object({ name: z.string().max(256), cardPresent: z.boolean() }).strict();

export const CardStateSchema = z
  .object({
    /** pcscd as seen by the reader monitor; 'unavailable' when PC/SC cannot be used at all. */
    service: z.enum(['starting', 'up', 'down', 'unavailable']),
    readers: z.array(ReaderSchema).max(32),
    card: z.discriminatedUnion('status', [
      z.object({ status: z.literal('absent') }).strict(),
      z
        .object({
          status: z.literal('present'),
          reader: z.string().max(256),
          /** The emulator's demo card (demo mode, no card in any reader): always labelled so. */
          demo: z.boolean(),
          atr: z.string().max(80),
        })
        .strict(),
    ]),
  })
  .strict();

export const CardEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reader-added'), reader: z.string().max(256) }).strict(),
  z.object({ type: z.literal('reader-removed'), reader: z.string().max(256) }).strict(),
  z
    .object({
      type: z.literal('card-inserted'),
      reader: z.string().max(256),
      atr: z.string().max(80),
      demo: z.boolean(),
    })
    .strict(),
  z.object({ type: z.literal('card-removed'), reader: z.string().max(256) }).strict(),
  z.object({ type: z.literal('service-down') }).strict(),
  z.object({ type: z.literal('service-up') }).strict(),
]);

const CertificateInfoSchema = z
  .object({
    subject: z.string().max(1024),
    issuer: z.string().max(1024),
    serialNumber: z.string().max(128),
    notBefore: Iso,
    notAfter: Iso,
    /** Lower-case hex SHA-256 of the DER. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    der: Base64,
  })
  .strict();

export const PinStatusSchema = z
  .object({
    pin: PinKindSchema,
    remaining: z.number().int().min(0).max(15),
    max: z.number().int().min(1).max(15),
    state: z.enum(['ok', 'one-left', 'blocked']),
  })
  .strict();

const AttachmentDraftSchema = z
  .object({
    name: z.string().min(1).max(255),
    mediaType: z.string().min(1).max(100),
    bytesBase64: Base64,
  })
  .strict();

export const ApplicationDraftSchema = z
  .object({
    procedureId: z.string().min(1).max(100),
    municipalityCode: z.string().min(1).max(10),
    form: z.record(z.string(), z.unknown()),
    attachments: z.array(AttachmentDraftSchema).max(20),
  })
  .strict();

export const ReceiptSchema = z
  .object({
    receiptNumber: z.string().max(64),
    status: z.string().max(32),
    receivedAt: Iso,
  })
  .strict();

export const OutboxItemSchema = z
  .object({
    id: z.string().max(64),
    createdAt: Iso,
    procedureId: z.string().max(100),
    municipalityCode: z.string().max(10),
    /** The package's SHA-256 fingerprint, as the consent window showed it. */
    fingerprint: z.string().max(100),
    packageBytes: z.number().int().min(0),
    /**
     * pending: waiting for its next attempt; sending: an attempt is in flight; needs-login: the
     * portal wants a session first (the item resumes after the next login); delivered: the
     * portal acknowledged it (receipt set); rejected: the portal refused the package itself
     * (it will never be retried; lastError says why).
     */
    state: z.enum(['pending', 'sending', 'needs-login', 'delivered', 'rejected']),
    attempts: z.number().int().min(0),
    nextAttemptAt: Iso.optional(),
    lastError: z
      .object({ code: z.string().max(64), message: Text })
      .strict()
      .optional(),
    receipt: ReceiptSchema.optional(),
  })
  .strict();

export const SettingsViewSchema = z
  .object({
    language: z.enum(['ja', 'en']),
    /** null: the embedded demo portal. */
    portalUrl: z.string().max(2048).nullable(),
    demoMode: z.boolean(),
    preferredReader: z.string().max(256).nullable(),
    kiosk: z.object({ enabled: z.boolean(), idleTimeoutSeconds: z.number().int().min(15).max(3600) }).strict(),
  })
  .strict();

/** What the page may change. Portal URL and kiosk mode are provisioned, not page-settable. */
export const SettingsPatchSchema = z
  .object({
    language: z.enum(['ja', 'en']).optional(),
    preferredReader: z.string().max(256).nullable().optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// The consent window's view (computed by main from the exact bytes to be signed)

export const ConsentPurposeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('login'), origin: z.string().max(2048) }).strict(),
  z
    .object({
      kind: z.literal('sign-application'),
      procedureId: z.string().max(100),
      procedureName: z.string().max(200).optional(),
      municipalityCode: z.string().max(10),
      municipalityName: z.string().max(200).optional(),
      applicant: z
        .record(z.string().max(100), z.string().max(400))
        .refine((o) => Object.keys(o).length <= 30, 'at most 30 applicant fields')
        .optional(),
      attachments: z
        .array(z.object({ name: z.string().max(300), mediaType: z.string().max(100), size: z.number().int() }).strict())
        .max(20),
      attachmentsTotalBytes: z.number().int(),
      manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
      fingerprint: z.string().max(100),
      /** Which certificate will sign: the card's signature certificate (署名用電子証明書). */
      certificate: z.literal('sign'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('read-basic-info'),
      fields: z.array(BasicInfoField).min(1).max(4),
      purpose: z.string().max(200),
    })
    .strict(),
  z.object({ kind: z.literal('change-pin'), pin: PinKindSchema }).strict(),
]);

export const ConsentViewSchema = z
  .object({
    id: z.string().max(64),
    purpose: ConsentPurposeSchema,
    pin: PinKindSchema,
    /** Tries left before the first attempt (and after each wrong one). */
    remaining: z.number().int().min(0).max(15),
    max: z.number().int().min(1).max(15),
    /**
     * ready: waiting for the PIN; working: main is talking to the card; wrong-pin: the last
     * PIN was wrong (remaining says how many tries are left); blocked: the PIN is blocked and
     * can only be reset at the municipality's window (no PIN is accepted); format: the PIN's
     * format was rejected before anything reached the card.
     */
    state: z.enum(['ready', 'working', 'wrong-pin', 'blocked', 'format']),
    demo: z.boolean(),
    message: Text.optional(),
    /** The resident's language (settings) and whether to open the on-screen PIN pad (kiosk). */
    language: z.enum(['ja', 'en']),
    kiosk: z.boolean(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Channels

function invoke<K extends Channel, Req extends z.ZodType, Res extends z.ZodType>(
  channel: K,
  request: Req,
  response: Res,
) {
  return { ...SURFACE[channel], request, response };
}

function event<K extends Channel, P extends z.ZodType>(channel: K, payload: P) {
  return { ...SURFACE[channel], payload };
}

export const contract = {
  // --- portal window
  'app:info': invoke(
    'app:info',
    Empty,
    z
      .object({
        name: z.string(),
        version: z.string(),
        platform: z.string(),
        runtime: z.enum(['electron', 'test-host']),
        demoMode: z.boolean(),
        kiosk: z.boolean(),
        /** The portal the app talks to; the page reaches it through `apiBase`. */
        portalOrigin: z.string(),
        /** Where the page sends its portal API calls (same origin as the page, proxied by main). */
        apiBase: z.string(),
        language: z.enum(['ja', 'en']),
        /** Things the resident should know since start-up (settings recovered, pcscd missing …). */
        notices: z.array(z.object({ code: z.string().max(64), message: Text }).strict()).max(10),
      })
      .strict(),
  ),
  'card:state': invoke('card:state', Empty, CardStateSchema),
  'card:event': event('card:event', CardEventSchema),
  'card:certificates': invoke(
    'card:certificates',
    Empty,
    z.object({ auth: CertificateInfoSchema, authCa: CertificateInfoSchema, signCa: CertificateInfoSchema }).strict(),
  ),
  'pin:status': invoke('pin:status', Empty, z.object({ pins: z.array(PinStatusSchema).length(3) }).strict()),
  'pin:change': invoke(
    'pin:change',
    z.object({ pin: PinKindSchema }).strict(),
    z.object({ changed: z.literal(true) }).strict(),
  ),
  'auth:login': invoke(
    'auth:login',
    z.object({ challenge: Challenge }).strict(),
    z.object({ origin: z.string(), signature: Base64, authCertificate: Base64 }).strict(),
  ),
  'card:basic-info': invoke(
    'card:basic-info',
    z
      .object({
        fields: z
          .array(BasicInfoField)
          .min(1)
          .max(4)
          .refine((f) => new Set(f).size === f.length, 'fields must be unique'),
        purpose: z.string().min(1).max(200),
      })
      .strict(),
    z
      .object({
        name: z.string().optional(),
        address: z.string().optional(),
        birthDate: z.string().optional(),
        sex: z.string().optional(),
      })
      .strict(),
  ),
  'application:sign': invoke(
    'application:sign',
    z.object({ draft: ApplicationDraftSchema }).strict(),
    z
      .object({
        outboxId: z.string(),
        fingerprint: z.string(),
        /** delivered (receipt set), or queued in the outbox for a later attempt. */
        delivery: z.enum(['delivered', 'queued', 'needs-login']),
        receipt: ReceiptSchema.optional(),
      })
      .strict(),
  ),
  'outbox:list': invoke('outbox:list', Empty, z.object({ items: z.array(OutboxItemSchema) }).strict()),
  'outbox:retry': invoke('outbox:retry', z.object({ id: z.string().min(1).max(64) }).strict(), OutboxItemSchema),
  'outbox:event': event('outbox:event', OutboxItemSchema),
  'settings:get': invoke('settings:get', Empty, SettingsViewSchema),
  'settings:set': invoke('settings:set', SettingsPatchSchema, SettingsViewSchema),

  // --- consent window
  'consent:get': invoke('consent:get', Empty, ConsentViewSchema),
  'consent:submit': invoke(
    'consent:submit',
    z
      .object({
        /** The view's id: a PIN typed for one request never goes to another. */
        id: z.string().min(1).max(64),
        pin: z.string().min(1).max(32),
        /** Only for change-pin: the new PIN, typed twice in the window and compared there. */
        newPin: z.string().min(1).max(32).optional(),
      })
      .strict(),
    z.object({ accepted: z.boolean() }).strict(),
  ),
  'consent:cancel': invoke(
    'consent:cancel',
    z.object({ id: z.string().min(1).max(64) }).strict(),
    z.object({ cancelled: z.boolean() }).strict(),
  ),
  'consent:update': event('consent:update', ConsentViewSchema),
} as const satisfies Record<Channel, unknown>;

export type Contract = typeof contract;
export type InvokeChannel = { [K in Channel]: Contract[K]['kind'] extends 'invoke' ? K : never }[Channel];
export type EventChannel = { [K in Channel]: Contract[K]['kind'] extends 'event' ? K : never }[Channel];
export type ChannelsOf<W extends WindowKind> = { [K in Channel]: Contract[K]['window'] extends W ? K : never }[Channel];

type InvokeOf<K extends InvokeChannel> = Extract<Contract[K], { kind: 'invoke' }>;
type EventOf<K extends EventChannel> = Extract<Contract[K], { kind: 'event' }>;

export type RequestOf<K extends InvokeChannel> = z.input<InvokeOf<K>['request']>;
export type ParsedRequestOf<K extends InvokeChannel> = z.output<InvokeOf<K>['request']>;
export type ResponseOf<K extends InvokeChannel> = z.output<InvokeOf<K>['response']>;
export type PayloadOf<K extends EventChannel> = z.output<EventOf<K>['payload']>;

export type CardState = z.output<typeof CardStateSchema>;
export type CardEvent = z.output<typeof CardEventSchema>;
export type ConsentView = z.output<typeof ConsentViewSchema>;
export type ConsentPurpose = z.output<typeof ConsentPurposeSchema>;
export type OutboxItem = z.output<typeof OutboxItemSchema>;
export type SettingsView = z.output<typeof SettingsViewSchema>;
export type SettingsPatch = z.output<typeof SettingsPatchSchema>;
export type ApplicationDraftPayload = z.output<typeof ApplicationDraftSchema>;
export type PinKind = z.output<typeof PinKindSchema>;
