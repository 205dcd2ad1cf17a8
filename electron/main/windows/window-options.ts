/**
 * The non-webPreferences options of each window kind, pure (tests compare them). The consent
 * window is a small modal child of the portal window that cannot be resized, minimised,
 * maximised or made full-screen, so it cannot be hidden behind the page that asked for it.
 */
import type { RunMode } from '../security/web-preferences.ts';

export interface PortalWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: false;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  kiosk: boolean;
  fullscreen: boolean;
}

export function portalWindowOptions(mode: RunMode): PortalWindowOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    title: 'Myna Companion',
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: mode !== 'development',
    kiosk: mode === 'kiosk',
    fullscreen: mode === 'kiosk',
  };
}

export interface ConsentWindowOptions {
  width: number;
  height: number;
  title: string;
  show: false;
  modal: true;
  resizable: false;
  minimizable: false;
  maximizable: false;
  fullscreenable: false;
  skipTaskbar: true;
  autoHideMenuBar: true;
  alwaysOnTop: boolean;
  backgroundColor: string;
}

export function consentWindowOptions(mode: RunMode): ConsentWindowOptions {
  return {
    width: 520,
    height: 720,
    title: '確認 / Confirmation — Myna Companion',
    show: false,
    modal: true,
    resizable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    autoHideMenuBar: true,
    alwaysOnTop: mode === 'kiosk',
    backgroundColor: '#ffffff',
  };
}
