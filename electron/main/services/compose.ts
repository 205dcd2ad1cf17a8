/**
 * The composition root of main's services, shared by Electron's main process and the test
 * host (DESIGN §9): the same card service, consent, signing, settings, outbox, embedded
 * portal and IPC handlers, whatever carries the IPC.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { betterSqliteNativeBinding } from '../../../native/addon-resolve.ts';
import { type RunningPortal, startPortal } from '../../../portal/start.ts';
import type { ConsentView } from '../../ipc/contract.ts';
import { EventHub, type Handlers } from '../ipc/dispatch.ts';
import { IpcFailure } from '../ipc/error-mapping.ts';
import { createHandlers, type DirectDelivery, type OutboxPort } from '../ipc/handlers.ts';
import { PortalSession } from '../portal/portal-session.ts';
import { CardService, type CardServiceOptions } from './card-service.ts';
import { type ConsentPresenter, ConsentService } from './consent.ts';
import { KioskSessionSettings } from './kiosk/index.ts';
import { Outbox, portalDeliverer } from './outbox/index.ts';
import { SettingsService, type SettingsStoreFactory } from './settings/index.ts';

export interface MainConfig {
  userDataDir: string;
  /** Overrides the settings file; undefined: what the settings say. */
  demoMode?: boolean;
  kiosk?: boolean;
  /** Overrides the settings file; null: the embedded demo portal on a random loopback port. */
  portalUrl?: string | null;
  /** The page's origin: `app://myna-companion` in Electron, the host's http origin in tests. */
  appOrigin: string;
  runtime: 'electron' | 'test-host';
  presenter: ConsentPresenter;
  card?: CardServiceOptions['source'];
  cardOptions?: Pick<CardServiceOptions, 'monitor' | 'openTransport'>;
  demoResident?: string;
  version?: string;
  platform?: string;
  /** How long the consent window waits for the resident. */
  consentTimeoutMs?: number;
  /** Electron passes electron-store's factory; the default (conf) serves Node and the test host. */
  settingsStore?: SettingsStoreFactory;
  /** Start-up notices found by the caller (e.g. pcscd missing on Linux). */
  notices?: { code: string; message: { ja: string; en: string } }[];
}

export interface MainServices {
  handlers: Handlers;
  events: EventHub;
  portalSession: PortalSession;
  portalOrigin: string;
  card: CardService;
  consent: ConsentService;
  settings: SettingsService;
  outbox: Outbox | undefined;
  portal: RunningPortal | undefined;
  kiosk: boolean;
  demoMode: boolean;
  /** Kiosk session end: cookies dropped, a pending consent cancelled, the resident's settings forgotten. */
  endSession(): void;
  close(): Promise<void>;
}

export async function startMainServices(cfg: MainConfig): Promise<MainServices> {
  mkdirSync(cfg.userDataDir, { recursive: true });
  const settings = SettingsService.open({
    dir: cfg.userDataDir,
    ...(cfg.settingsStore ? { store: cfg.settingsStore } : {}),
  });
  const notices = [...(cfg.notices ?? [])];
  if (settings.recovered) {
    notices.push({
      code: 'SETTINGS_RECOVERED',
      message: {
        ja: '設定ファイルが壊れていたため、初期設定で起動しました。元のファイルはバックアップとして保存してあります。',
        en: 'The settings file was damaged, so the app started with default settings. The old file was kept as a backup.',
      },
    });
  }
  const stored = settings.get();
  const kiosk = cfg.kiosk ?? stored.kiosk.enabled;
  const portalUrl = cfg.portalUrl !== undefined ? cfg.portalUrl : stored.portalUrl;
  // The demo card goes with the embedded demo portal. Against a configured portal it would be a
  // fictional resident at a real service, so there it takes an explicit --demo.
  const demoMode = cfg.demoMode ?? portalUrl === null;

  const closers: (() => Promise<void> | void)[] = [];
  try {
    let portal: RunningPortal | undefined;
    let portalOrigin: string;
    if (portalUrl === null) {
      // Under Electron, SQLite must be the Electron-ABI build (native/addon-resolve.ts).
      const sqliteNativeBinding = betterSqliteNativeBinding();
      // Kiosk: what residents submit to the demo portal is personal data; it lives in a fresh
      // temporary folder removed on close(), never in the user-data folder.
      let dataDir = join(cfg.userDataDir, 'demo-portal');
      if (kiosk) {
        const tempDir = mkdtempSync(join(tmpdir(), 'myna-kiosk-portal-'));
        closers.push(() => rmSync(tempDir, { recursive: true, force: true }));
        dataDir = tempDir;
      }
      portal = await startPortal({
        ...(sqliteNativeBinding ? { sqliteNativeBinding } : {}),
        port: 0,
        dataDir,
        seed: 'demo',
        appOrigins: [cfg.appOrigin],
        logger: false,
      });
      closers.push(() => portal?.close());
      portalOrigin = portal.expectedOrigin;
    } else {
      portalOrigin = new URL(portalUrl).origin;
    }
    const portalSession = new PortalSession(portalOrigin);
    const events = new EventHub();

    const card = new CardService({
      source: cfg.card ?? 'auto',
      demoMode,
      ...(cfg.demoResident ? { demoResident: cfg.demoResident } : {}),
      preferredReader: () => settings.get().preferredReader,
      ...cfg.cardOptions,
    });
    await card.start();
    closers.push(() => card.close());
    card.on('event', (e) => events.publish('card:event', e));

    // Kiosk: the page's settings:set lasts for the resident's session, in memory only.
    const sessionSettings = kiosk ? new KioskSessionSettings(settings) : undefined;
    const pageSettings = sessionSettings ?? settings;

    const consent = new ConsentService({
      presenter: cfg.presenter,
      publish: (view: ConsentView) => events.publish('consent:update', view),
      presentation: () => ({ language: pageSettings.view().language, kiosk }),
      ...(cfg.consentTimeoutMs ? { idleTimeoutMs: cfg.consentTimeoutMs } : {}),
    });

    const deliver = portalDeliverer(portalSession);
    let outbox: Outbox | undefined;
    let direct: DirectDelivery | undefined;
    if (kiosk) {
      // Kiosk: nothing with personal data is written to disk; the resident waits for the portal.
      direct = async (packageBytes) => {
        const r = await deliver({ idempotencyKey: crypto.randomUUID(), packageBytes });
        if (r.kind === 'delivered') return r.receipt;
        // The portal's own words (with its code) tell the resident what to do at the window.
        throw new IpcFailure(
          r.kind === 'retry' ? 'PORTAL_UNREACHABLE' : 'PORTAL_REFUSED',
          { reason: r.code },
          r.message,
        );
      };
    } else {
      outbox = await Outbox.open({ dir: join(cfg.userDataDir, 'outbox'), deliver });
      closers.push(() => outbox?.close());
      outbox.onChange((item) => events.publish('outbox:event', item));
      // A login (new session cookie) lets the items that waited for one go out.
      portalSession.onChange(() => {
        if (portalSession.hasSessionCookie()) void outbox?.resumeAfterLogin();
      });
    }

    const handlers = createHandlers({
      app: {
        name: 'Myna Companion',
        version: cfg.version ?? '0.0.0',
        platform: cfg.platform ?? process.platform,
        runtime: cfg.runtime,
        demoMode,
        kiosk,
      },
      card,
      consent,
      portalOrigin,
      apiBase: '',
      notices: () => notices,
      settings: pageSettings,
      outbox: outbox as OutboxPort | undefined,
      direct,
      describeProcedure: (procedureId, municipalityCode) =>
        describeProcedure(portalSession, procedureId, municipalityCode),
    });

    return {
      handlers,
      events,
      portalSession,
      portalOrigin,
      card,
      consent,
      settings,
      outbox,
      portal,
      kiosk,
      demoMode,
      endSession: () => {
        consent.cancel();
        portalSession.clear();
        sessionSettings?.clear();
      },
      close: async () => {
        consent.cancel();
        for (const c of closers.reverse()) await c();
      },
    };
  } catch (e) {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => {});
    throw e;
  }
}

/** The procedure's title and the municipality's name, from the portal's public catalog. */
async function describeProcedure(
  session: PortalSession,
  procedureId: string,
  municipalityCode: string,
): Promise<{ procedureName?: string; municipalityName?: string }> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(procedureId)) return {};
  const res = await session.fetch(`/api/v1/kosodate/procedures/${procedureId}/form`, {
    signal: AbortSignal.timeout(3000),
  });
  if (!res.ok) return {};
  const body = (await res.json()) as {
    title?: unknown;
    municipalities?: { code?: unknown; name?: unknown; prefecture?: unknown }[];
  };
  const out: { procedureName?: string; municipalityName?: string } = {};
  const t = body.title as string | { ja?: unknown } | undefined;
  const title = typeof t === 'string' ? t : typeof t?.ja === 'string' ? t.ja : undefined;
  if (title) out.procedureName = title.slice(0, 200);
  const m = body.municipalities?.find((x) => x.code === municipalityCode);
  if (m && typeof m.name === 'string')
    out.municipalityName = `${typeof m.prefecture === 'string' ? m.prefecture : ''}${m.name}`.slice(0, 200);
  return out;
}
