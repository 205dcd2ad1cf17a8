/**
 * The main process's life (DESIGN §3, §4; electron-anchors §1, §2.2, §6), with its Electron
 * and service dependencies injectable so that unit tests run it against the fakes:
 *
 * before ready: refuse debugging/sandbox-disabling switches in kiosk (from --kiosk or the
 *   provisioned settings file) and production, sandbox every renderer, one instance only, app://
 *   registered as a privileged standard scheme;
 * ready: the pcscd check on Linux (a start-up notice in the page; outside kiosk mode also a
 *   dialog, never a quit: the demo card still works) → start main's services (compose.ts) →
 *   app:// handler with the CSP → IPC → the portal window (kiosk: a fresh in-memory partition
 *   and the session controller);
 * quit: services closed once, then the app exits.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, ipcMain, Menu, powerMonitor, protocol, shell } from 'electron';
import { registerIpc } from './ipc/register-ipc.ts';
import { parseLaunchOptions } from './launch-config.ts';
import { checkPcscdAvailable } from './pcscd-check.ts';
import { createAppProtocolHandler } from './protocol/app-handler.ts';
import { APP_SCHEME_PRIVILEGES } from './protocol/register-protocol.ts';
import { buildCsp } from './security/csp.ts';
import { externalHostsFor } from './security/external.ts';
import { launchRefusal } from './security/switches.ts';
import type { RunMode } from './security/web-preferences.ts';
import type { MainConfig, MainServices } from './services/compose.ts';
import { SettingsService } from './services/settings/index.ts';
import { ElectronConsentPresenter } from './windows/consent-presenter.ts';
import { webviewGuard } from './windows/guards.ts';
import { type KioskAdapter, startKioskAdapter } from './windows/kiosk-adapter.ts';
import { PortalShell } from './windows/portal-shell.ts';
import { WindowFactory } from './windows/window-factory.ts';
import { WindowRegistry } from './windows/window-registry.ts';

/** The page origin; the embedded demo portal allows exactly this origin (portal/start.ts). */
export const APP_ORIGIN = 'app://myna-companion';

export interface AppMainDeps {
  startMainServices: (config: MainConfig) => Promise<MainServices>;
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** The folder holding out/ (default: app.getAppPath()). */
  appRoot?: string;
  /** Default: console.error. Never gets a request, a response or a PIN. */
  logError?: (message: string, error?: unknown) => void;
}

export interface RunningApp {
  readonly mode: RunMode;
  readonly services: MainServices;
  readonly shell: PortalShell;
  readonly registry: WindowRegistry;
  readonly kiosk: KioskAdapter | undefined;
  /** Closes everything (what before-quit runs). */
  shutdown(): Promise<void>;
}

export type StartOutcome = { started: true; app: RunningApp } | { started: false; reason: string };

/**
 * shell.openExternal, for safeOpenExternal() only: it calls this with an https URL on the
 * allowlist that it has normalised itself, never in kiosk mode (security/external.ts).
 */
function openInBrowser(url: string): Promise<void> {
  /* eng-disable OPEN_EXTERNAL_JS_CHECK @preserve gated by safeOpenExternal() */ return shell.openExternal(url);
}

function refuse(title: string, message: { ja: string; en: string }): void {
  dialog.showErrorBox(title, `${message.ja}\n\n${message.en}`);
}

/**
 * Runs the app: returns once the portal window exists, or why it did not start (the process
 * has then been told to exit).
 */
export async function runApp(deps: AppMainDeps): Promise<StartOutcome> {
  const argv = deps.argv ?? process.argv;
  const env = deps.env ?? process.env;
  const platform = deps.platform ?? process.platform;
  const logError = deps.logError ?? ((m: string, e?: unknown) => console.error(m, e ?? ''));

  const launch = parseLaunchOptions(argv, env);
  if (!launch.ok) {
    refuse('Myna Companion', launch.message);
    app.exit(2);
    return { started: false, reason: 'bad command line' };
  }
  const production = app.isPackaged;
  const switchCheck = (kiosk: boolean) =>
    launchRefusal({
      argv,
      env,
      platform,
      kiosk,
      production,
      hasSwitch: (s) => app.commandLine.hasSwitch(s),
    });
  // Kiosk mode may be provisioned in the settings file rather than given as --kiosk: read the
  // flag (without writing) so that the refusal comes before any service starts.
  let kioskWanted = launch.options.kiosk === true;
  if (!kioskWanted) {
    try {
      kioskWanted = SettingsService.kioskEnabled({ dir: app.getPath('userData') });
    } catch {
      // An unreadable settings file: opening it in startMainServices fails the same way, and says so.
    }
  }
  const early = switchCheck(kioskWanted);
  if (early) {
    refuse('Myna Companion', early.message);
    app.exit(3);
    return { started: false, reason: `refused: ${early.problems.join(', ')}` };
  }

  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { started: false, reason: 'another instance is running' };
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  // Any webContents not created by WindowFactory (there should be none) gets no webview, no
  // popup and no navigation; ours replace the window-open handler with their own.
  const registry = new WindowRegistry();
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', webviewGuard);
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => {
      if (registry.kindOf(contents.id) === undefined) event.preventDefault();
    });
  });

  await app.whenReady();

  let services: MainServices | undefined;
  let shell_: PortalShell | undefined;
  const presenter = new ElectronConsentPresenter({
    open: () => {
      if (!shell_) throw new Error('the consent window needs the portal window');
      return shell_.openConsent();
    },
    onDismissed: () => services?.consent.cancel(),
  });

  // Checked once: a notice in the page (app:info notices), where the resident looks when no
  // reader appears, and outside kiosk mode a dialog as well (below).
  const pcscdAtStart = checkPcscdAvailable({ platform, exists: existsSync, env });
  try {
    services = await deps.startMainServices({
      ...(pcscdAtStart.ok ? {} : { notices: [{ code: 'PCSCD_MISSING', message: pcscdAtStart.message }] }),
      userDataDir: app.getPath('userData'),
      appOrigin: APP_ORIGIN,
      runtime: 'electron',
      presenter,
      version: app.getVersion(),
      platform,
      ...(launch.options.kiosk ? { kiosk: true } : {}),
      ...(launch.options.portalUrl ? { portalUrl: launch.options.portalUrl } : {}),
      ...(launch.options.demoMode ? { demoMode: true } : {}),
      ...(launch.options.demoResident ? { demoResident: launch.options.demoResident } : {}),
    });
  } catch (e) {
    logError('main services failed to start', e);
    refuse('Myna Companion', {
      ja: 'アプリを起動できませんでした。設定を確認して、もう一度起動してください。',
      en: 'The app could not start. Check its settings and start it again.',
    });
    app.exit(1);
    return { started: false, reason: 'services failed' };
  }
  const svc = services;

  // The services' own reading of the settings decides the mode: should it say kiosk where the
  // early read did not (the file changed in between), refuse now.
  const late = svc.kiosk && !launch.options.kiosk ? switchCheck(true) : undefined;
  if (late) {
    await svc.close().catch(() => {});
    refuse('Myna Companion', late.message);
    app.exit(3);
    return { started: false, reason: `refused: ${late.problems.join(', ')}` };
  }

  const mode: RunMode = svc.kiosk ? 'kiosk' : production ? 'production' : 'development';
  const appRoot = deps.appRoot ?? app.getAppPath();
  const handler = createAppProtocolHandler({
    appOrigin: APP_ORIGIN,
    rendererRoot: join(appRoot, 'out', 'renderer'),
    csp: buildCsp({ portalOrigin: svc.portalOrigin }),
    portal: svc.portalSession,
  });
  let kiosk: KioskAdapter | undefined;
  const factory = new WindowFactory({
    mode,
    appOrigin: APP_ORIGIN,
    preloadDir: join(appRoot, 'out', 'preload'),
    registry,
    session: { portalOrigin: svc.portalOrigin, handler },
    allowedHosts: externalHostsFor(svc.portalOrigin),
    openExternal: openInBrowser,
    onActivity: () => kiosk?.activity(),
  });
  const portalShell = new PortalShell({
    mode,
    windows: factory,
    endServicesSession: () => svc.endSession(),
    closeConsent: () => presenter.close(),
    onRendererGone: () => {
      if (mode !== 'kiosk') {
        portalShell.window?.reload();
        return;
      }
      // A crashed kiosk page is a session end: wipe, back to the attract screen.
      if (kiosk?.controller.state === 'session') void kiosk.controller.end('manual');
      else void portalShell.resetSession();
    },
  });
  shell_ = portalShell;
  const unregisterIpc = registerIpc({
    ipcMain,
    handlers: svc.handlers,
    events: svc.events,
    registry,
    appOrigin: APP_ORIGIN,
    onRefused: (channel, reason) => logError(`IPC refused on ${channel}: ${reason}`),
  });
  if (mode !== 'development') Menu.setApplicationMenu(null);

  if (mode === 'kiosk') {
    kiosk = startKioskAdapter({
      wipe: () => portalShell.resetSession(),
      card: svc.card,
      idleTimeoutMs: svc.settings.get().kiosk.idleTimeoutSeconds * 1000,
      systemIdleSeconds: () => powerMonitor.getSystemIdleTime(),
      onError: (e, reason) => logError(`kiosk wipe after ${reason} failed; retrying`, e),
    });
  }
  const window = portalShell.open();

  // A modal dialog would block a kiosk's screen for every resident: there, the notice is enough.
  if (!pcscdAtStart.ok && mode !== 'kiosk') {
    void dialog.showMessageBox(window, {
      type: 'warning',
      title: 'PC/SC',
      message: pcscdAtStart.message.ja,
      detail: pcscdAtStart.message.en,
      buttons: ['OK'],
    });
  }

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closing ??= (async () => {
      kiosk?.dispose();
      unregisterIpc();
      presenter.close();
      try {
        await svc.close();
      } catch (e) {
        logError('closing main services failed', e);
      }
    })();
    return closing;
  };
  let quit: 'no' | 'closing' | 'closed' = 'no';
  app.on('before-quit', (event) => {
    if (quit === 'closed') return;
    event.preventDefault();
    if (quit === 'closing') return;
    quit = 'closing';
    void shutdown().finally(() => {
      quit = 'closed';
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    // A kiosk wipe opens the next window before closing the last one; nothing else quits a kiosk.
    if (mode !== 'kiosk') app.quit();
  });
  app.on('second-instance', () => {
    const w = portalShell.window;
    if (!w) return;
    if (w.isMinimized()) w.restore();
    w.focus();
  });
  app.on('activate', () => {
    portalShell.open();
  });

  return {
    started: true,
    app: { mode, services: svc, shell: portalShell, registry, kiosk, shutdown },
  };
}
