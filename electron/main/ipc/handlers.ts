/**
 * What each channel does, in terms of main's services. Transport-free: Electron's ipcMain
 * adapter and the test host call these through `dispatch`, after the sender check.
 *
 * Every PIN use goes through the consent service; what the consent window shows is computed
 * here from what main is about to do (the origin it binds, the package it built), never from
 * what the page says.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { OutboxItem, ResponseOf, SettingsPatch, SettingsView } from '../../ipc/contract.ts';
import type { CardService } from '../services/card-service.ts';
import type { ConsentService } from '../services/consent.ts';
import { prepareApplication, signApplication, signLoginAssertion } from '../services/signing/index.ts';
import type { Handlers } from './dispatch.ts';
import { IpcFailure } from './error-mapping.ts';

export interface OutboxPort {
  enqueue(input: {
    packageBytes: Uint8Array;
    procedureId: string;
    municipalityCode: string;
    fingerprint: string;
  }): Promise<OutboxItem>;
  deliverNow(id: string): Promise<OutboxItem>;
  list(): OutboxItem[];
  retry(id: string): Promise<OutboxItem>;
}

/** Kiosk mode: no queue, the package is sent while the resident waits (DESIGN §4). */
export type DirectDelivery = (packageBytes: Uint8Array) => Promise<ResponseOf<'application:sign'>['receipt']>;

export interface HandlerDeps {
  app: {
    name: string;
    version: string;
    platform: string;
    runtime: 'electron' | 'test-host';
    demoMode: boolean;
    kiosk: boolean;
  };
  card: CardService;
  consent: ConsentService;
  /** The portal main is configured for: login assertions are bound to it, nothing else. */
  portalOrigin: string;
  apiBase: string;
  /** Start-up notices for the resident (settings recovered from a corrupt file, pcscd missing …). */
  notices?: () => { code: string; message: { ja: string; en: string } }[];
  settings: { view(): SettingsView; update(patch: SettingsPatch): SettingsView };
  /** Undefined in kiosk mode. */
  outbox: OutboxPort | undefined;
  direct: DirectDelivery | undefined;
  /** Names for the consent window, looked up by main from the configured portal's catalog. */
  describeProcedure?: (
    procedureId: string,
    municipalityCode: string,
  ) => Promise<{ procedureName?: string; municipalityName?: string }>;
  now?: () => Date;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function certificateInfo(der: Uint8Array) {
  const x = new X509Certificate(der);
  return {
    subject: x.subject,
    issuer: x.issuer,
    serialNumber: x.serialNumber,
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    sha256: createHash('sha256').update(der).digest('hex'),
    der: b64(der),
  };
}

/** Shortened for the screen (the signed manifest keeps every value whole). */
function clip(s: string, max: number): string {
  const cps = [...s];
  return cps.length <= max ? s : `${cps.slice(0, max - 1).join('')}…`;
}

/** The applicant as the consent window shows it: at most 30 fields, each value at most 400 characters. */
function displayApplicant(a: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(a)
      .slice(0, 30)
      .map(([k, v]) => [clip(k, 100), clip(v, 400)]),
  );
}

export function createHandlers(d: HandlerDeps): Handlers {
  const now = d.now ?? (() => new Date());

  const requireOutbox = (): OutboxPort => {
    if (!d.outbox) throw new IpcFailure('NOT_AVAILABLE');
    return d.outbox;
  };

  return {
    'app:info': () => {
      const s = d.settings.view();
      return {
        ...d.app,
        portalOrigin: d.portalOrigin,
        apiBase: d.apiBase,
        language: s.language,
        notices: d.notices?.() ?? [],
      };
    },

    'card:state': () => d.card.state(),

    'card:certificates': async () => {
      const { card } = d.card.current();
      const [auth, authCa, signCa] = [
        await card.readCertificate('auth'),
        await card.readCertificate('auth-ca'),
        await card.readCertificate('sign-ca'),
      ];
      return { auth: certificateInfo(auth), authCa: certificateInfo(authCa), signCa: certificateInfo(signCa) };
    },

    'pin:status': async () => {
      const { card } = d.card.current();
      return { pins: await card.pinStatuses() };
    },

    'pin:change': async ({ pin }) => {
      const { card, demo } = d.card.current();
      await d.consent.run({
        purpose: { kind: 'change-pin', pin },
        pin,
        demo,
        status: () => card.pinStatus(pin),
        perform: async (current, next) => {
          if (next === undefined) throw new IpcFailure('BAD_REQUEST', { field: 'newPin' });
          await card.changePin(pin, current, next);
        },
      });
      return { changed: true as const };
    },

    'auth:login': async ({ challenge }) => {
      const { card, demo } = d.card.current();
      // Node's base64 decoder reads both alphabets (the portal sends base64url).
      const bytes = Buffer.from(challenge, 'base64');
      const origin = d.portalOrigin;
      const assertion = await d.consent.run({
        purpose: { kind: 'login', origin },
        pin: 'auth',
        demo,
        status: () => card.pinStatus('auth'),
        perform: (pin) => signLoginAssertion(card, { challenge: new Uint8Array(bytes), origin }, pin),
      });
      return { origin, signature: b64(assertion.signature), authCertificate: b64(assertion.authCertificate) };
    },

    'card:basic-info': async ({ fields, purpose }) => {
      const { card, demo } = d.card.current();
      const info = await d.consent.run({
        purpose: { kind: 'read-basic-info', fields, purpose },
        pin: 'kenhojo',
        demo,
        status: () => card.pinStatus('kenhojo'),
        perform: (pin) => card.readBasicInfo(pin),
      });
      // Only what the resident agreed to, once; main keeps nothing of it.
      const out: Record<string, string> = {};
      for (const f of fields) out[f] = info[f];
      return out;
    },

    'application:sign': async ({ draft }) => {
      const prepared = prepareApplication({
        procedureId: draft.procedureId,
        municipalityCode: draft.municipalityCode,
        form: draft.form,
        attachments: draft.attachments.map((a) => ({
          name: a.name,
          mediaType: a.mediaType,
          bytes: new Uint8Array(Buffer.from(a.bytesBase64, 'base64')),
        })),
      });
      const { card, demo } = d.card.current();
      const s = prepared.summary;
      const names = (await d.describeProcedure?.(s.procedureId, s.municipalityCode).catch(() => ({}))) ?? {};
      const signed = await d.consent.run({
        purpose: {
          kind: 'sign-application',
          procedureId: s.procedureId,
          ...names,
          municipalityCode: s.municipalityCode,
          ...(s.applicant ? { applicant: displayApplicant(s.applicant) } : {}),
          attachments: s.attachments,
          attachmentsTotalBytes: s.attachmentsTotalBytes,
          manifestSha256: s.manifestSha256,
          fingerprint: s.fingerprint,
          certificate: 'sign',
        },
        pin: 'sign',
        demo,
        status: () => card.pinStatus('sign'),
        perform: (password) => signApplication(card, prepared, password, { now: now() }),
      });
      if (d.direct) {
        const receipt = await d.direct(signed.packageBytes);
        return {
          outboxId: '',
          fingerprint: s.fingerprint,
          delivery: 'delivered' as const,
          ...(receipt ? { receipt } : {}),
        };
      }
      const outbox = requireOutbox();
      const queued = await outbox.enqueue({
        packageBytes: signed.packageBytes,
        procedureId: s.procedureId,
        municipalityCode: s.municipalityCode,
        fingerprint: s.fingerprint,
      });
      const item = await outbox.deliverNow(queued.id);
      const delivery =
        item.state === 'delivered' ? 'delivered' : item.state === 'needs-login' ? 'needs-login' : 'queued';
      return {
        outboxId: item.id,
        fingerprint: s.fingerprint,
        delivery,
        ...(item.receipt ? { receipt: item.receipt } : {}),
      };
    },

    'outbox:list': () => ({ items: requireOutbox().list() }),
    'outbox:retry': ({ id }) => requireOutbox().retry(id),

    'settings:get': () => d.settings.view(),
    'settings:set': (patch) => d.settings.update(patch),

    'consent:get': () => d.consent.view(),
    'consent:submit': (input) => d.consent.submit(input),
    'consent:cancel': ({ id }) => d.consent.cancel(id),
  };
}
