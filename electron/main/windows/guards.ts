/**
 * The per-window guards (Electron security checklist #12–#15, electron-anchors §6), attached
 * to every webContents main creates. The decisions are the pure functions in ../security; this
 * file only connects them to WebContents events.
 */
import type { Event, WebContents } from 'electron';
import type { WindowKind } from '../../ipc/surface.ts';
import { safeOpenExternal } from '../security/external.ts';
import { isAllowedNavigation } from '../security/navigation.ts';
import { isBlockedShortcut } from '../security/shortcuts.ts';
import type { RunMode } from '../security/web-preferences.ts';
import { decideWindowOpen } from '../security/window-open.ts';
import { PAGES } from './pages.ts';

export interface GuardOptions {
  kind: WindowKind;
  appOrigin: string;
  mode: RunMode;
  /** Hosts an allowlisted link may open in the browser (external.ts). */
  allowedHosts: readonly string[];
  /** shell.openExternal. */
  openExternal: (url: string) => Promise<void>;
  /** Any keyboard input in the window (kiosk idle timer). */
  onActivity?: () => void;
}

/** `will-navigate`/`will-redirect`: main-frame navigations to anything but this kind's page are stopped. */
export function navigationGuard(options: Pick<GuardOptions, 'kind' | 'appOrigin'>) {
  return (event: { url?: string; preventDefault(): void }, url?: string): void => {
    const target = event.url ?? url ?? '';
    if (!isAllowedNavigation(target, options.appOrigin, PAGES[options.kind])) event.preventDefault();
  };
}

/** `will-frame-navigate`: our pages have no frames (CSP default-src 'none'), so a sub-frame never navigates. */
export function frameNavigationGuard(options: Pick<GuardOptions, 'kind' | 'appOrigin'>) {
  const main = navigationGuard(options);
  return (event: { url: string; isMainFrame: boolean; preventDefault(): void }): void => {
    if (!event.isMainFrame) event.preventDefault();
    else main(event);
  };
}

/** `setWindowOpenHandler`: never a new window; an allowlisted https link opens in the browser (not in kiosk mode). */
export function windowOpenHandler(options: Pick<GuardOptions, 'mode' | 'allowedHosts' | 'openExternal'>) {
  const kiosk = options.mode === 'kiosk';
  return (details: { url: string }): { action: 'deny' } => {
    const decision = decideWindowOpen(details.url, { kiosk, allowedHosts: options.allowedHosts });
    if (decision.openExternal !== undefined) {
      void safeOpenExternal(decision.openExternal, {
        kiosk,
        allowedHosts: options.allowedHosts,
        open: options.openExternal,
      });
    }
    return { action: 'deny' };
  };
}

/** `will-attach-webview`: there are no <webview>s in this app (webviewTag is off as well). */
export function webviewGuard(event: { preventDefault(): void }): void {
  event.preventDefault();
}

/** `before-input-event`: DevTools, reload, zoom… shortcuts in production and kiosk mode. */
export function inputGuard(options: Pick<GuardOptions, 'mode' | 'onActivity'>) {
  const kiosk = options.mode === 'kiosk';
  return (event: { preventDefault(): void }, input: Parameters<typeof isBlockedShortcut>[0]): void => {
    options.onActivity?.();
    if (options.mode !== 'development' && isBlockedShortcut(input, { kiosk })) event.preventDefault();
  };
}

export function guardWebContents(contents: WebContents, options: GuardOptions): void {
  const nav = navigationGuard(options);
  contents.on('will-navigate', (event: Event<{ url: string }>, url: string) => nav(event, url));
  contents.on('will-redirect', (event: Event<{ url: string; isMainFrame: boolean }>) => {
    if (!event.isMainFrame) event.preventDefault();
    else nav(event);
  });
  contents.on('will-frame-navigate', frameNavigationGuard(options));
  contents.on('will-attach-webview', webviewGuard);
  contents.setWindowOpenHandler(windowOpenHandler(options));
  contents.on('before-input-event', inputGuard(options));
  if (options.mode !== 'development') {
    // Belt and braces: devTools is false in webPreferences, so this should never fire.
    contents.on('devtools-opened', () => contents.closeDevTools());
    // Pinch zoom; keyboard zoom is in before-input-event, and Ctrl+wheel only emits zoom-changed.
    void contents.setVisualZoomLevelLimits(1, 1);
  }
}
