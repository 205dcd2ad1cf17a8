import { describe, expect, it } from 'vitest';
import { isPermissionGranted, permissionCheckHandler, permissionRequestHandler } from './permissions.ts';

const APP = 'app://myna-companion';
const desktop = { appOrigin: APP, kiosk: false };
const kiosk = { appOrigin: APP, kiosk: true };

// Electron 45's permission names (electron.d.ts, setPermissionRequestHandler).
const ALL = [
  'ar',
  'automatic-fullscreen',
  'background-fetch',
  'background-sync',
  'captured-surface-control',
  'clipboard-read',
  'clipboard-sanitized-write',
  'deprecated-sync-clipboard-read',
  'display-capture',
  'fileSystem',
  'fullscreen',
  'geolocation',
  'geolocation-approximate',
  'hand-tracking',
  'hid',
  'idle-detection',
  'keyboardLock',
  'local-fonts',
  'local-network',
  'local-network-access',
  'loopback-network',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'nfc',
  'notifications',
  'openExternal',
  'payment-handler',
  'periodic-background-sync',
  'persistent-storage',
  'pointerLock',
  'screen-wake-lock',
  'sensors',
  'serial',
  'smart-card',
  'speaker-selection',
  'storage-access',
  'system-wake-lock',
  'top-level-storage-access',
  'usb',
  'vr',
  'web-app-installation',
  'web-printing',
  'window-management',
  'unknown',
];

describe('permission handlers (checklist #5)', () => {
  it('#5 the request handler denies every permission but a sanitised clipboard write from our page', () => {
    const handler = permissionRequestHandler(desktop);
    const granted = ALL.filter((p) => {
      let answer: boolean | undefined;
      handler(
        {},
        p,
        (g) => {
          answer = g;
        },
        { requestingUrl: 'app://myna-companion/index.html' },
      );
      if (answer === undefined) throw new Error(`no answer for ${p}`);
      return answer;
    });
    expect(granted).toEqual(['clipboard-sanitized-write']);
  });

  it('#5 the check handler agrees with the request handler', () => {
    const check = permissionCheckHandler(desktop);
    expect(ALL.filter((p) => check(null, p, APP))).toEqual(['clipboard-sanitized-write']);
  });

  it('#5 nothing at all is granted in kiosk mode, not even the clipboard', () => {
    const check = permissionCheckHandler(kiosk);
    expect(ALL.filter((p) => check(null, p, APP))).toEqual([]);
  });

  it('#5 nothing is granted to another origin', () => {
    for (const origin of ['https://myna.go.jp', 'app://myna-companion.attacker.example', 'null', '', 'file://']) {
      expect(isPermissionGranted('clipboard-sanitized-write', origin, desktop), origin).toBe(false);
    }
    expect(isPermissionGranted('clipboard-sanitized-write', undefined, desktop)).toBe(false);
  });

  it('#5 the card belongs to main: Web Smart Card, HID, serial and USB are refused', () => {
    for (const p of ['smart-card', 'hid', 'serial', 'usb']) expect(isPermissionGranted(p, APP, desktop)).toBe(false);
  });
});
