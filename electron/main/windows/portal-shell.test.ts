import type { BrowserWindow, Session } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeBrowserWindow, resetElectronMock, session } from '../../../tests/mocks/electron.ts';
import type { WindowKind } from '../../ipc/surface.ts';
import type { RunMode } from '../security/web-preferences.ts';
import { PortalShell, partitionsFor } from './portal-shell.ts';

beforeEach(() => resetElectronMock());

function shellFor(mode: RunMode) {
  const log: string[] = [];
  const created: { kind: WindowKind; partition: string; window: FakeBrowserWindow }[] = [];
  let n = 0;
  const shell = new PortalShell({
    mode,
    newId: () => `id${++n}`,
    windows: {
      create: (kind, { partition, parent }) => {
        const window = new FakeBrowserWindow({
          webPreferences: { partition },
          ...(parent ? { parent: parent as unknown as FakeBrowserWindow } : {}),
        });
        created.push({ kind, partition, window });
        log.push(`create ${kind} ${partition}`);
        window.on('closed', () => log.push(`closed ${partition}`));
        return window as unknown as BrowserWindow;
      },
      sessionFor: (partition) => session.fromPartition(partition) as unknown as Session,
    },
    endServicesSession: () => log.push('services.endSession'),
    closeConsent: () => log.push('consent.close'),
  });
  return { shell, log, created };
}

describe('PortalShell partitions', () => {
  it('desktop: a persistent portal partition and an in-memory consent one', () => {
    expect(partitionsFor('production', 'x')).toEqual({ portal: 'persist:portal', consent: 'consent' });
    expect(partitionsFor('development', 'x')).toEqual({ portal: 'persist:portal', consent: 'consent' });
  });

  it('kiosk: fresh in-memory kiosk-<random> partitions, never persist:', () => {
    expect(partitionsFor('kiosk', 'a1b2')).toEqual({ portal: 'kiosk-a1b2', consent: 'kiosk-a1b2-consent' });
    expect(() => partitionsFor('kiosk', '../x')).toThrow();
  });

  it('opens one portal window and the consent window as its child', () => {
    const { shell, created } = shellFor('production');
    const w = shell.open();
    expect(shell.open()).toBe(w);
    shell.openConsent();
    expect(created.map((c) => [c.kind, c.partition])).toEqual([
      ['portal', 'persist:portal'],
      ['consent', 'consent'],
    ]);
    expect(created[1]?.window.getParentWindow()).toBe(w);
  });
});

describe('kiosk session wipe (DESIGN §4, electron-anchors §6)', () => {
  it('drops cookies first, opens a fresh partition, destroys the old window, clears the old sessions', async () => {
    const { shell, log, created } = shellFor('kiosk');
    shell.open();
    shell.openConsent();
    const first = created[0]?.window;
    log.length = 0;

    await shell.resetSession();

    expect(log).toEqual([
      'services.endSession',
      'consent.close',
      'create portal kiosk-id2',
      'closed kiosk-id1',
      'services.endSession',
    ]);
    expect(first?.isDestroyed()).toBe(true);
    for (const p of ['kiosk-id1', 'kiosk-id1-consent']) {
      expect(session.fromPartition(p).cleared, p).toEqual(['clearData', 'clearCache', 'clearAuthCache']);
    }
    expect(session.fromPartition('kiosk-id2').cleared).toEqual([]);
    expect(shell.partitions).toEqual({ portal: 'kiosk-id2', consent: 'kiosk-id2-consent' });
    expect(shell.window).toBe(created.at(-1)?.window);
    // The next resident's consent window uses the new consent partition.
    shell.openConsent();
    expect(created.at(-1)?.partition).toBe('kiosk-id2-consent');
  });

  it('calls during a wipe share it (one wipe, one new window)', async () => {
    const { shell, created } = shellFor('kiosk');
    shell.open();
    await Promise.all([shell.resetSession(), shell.resetSession()]);
    expect(created.filter((c) => c.kind === 'portal')).toHaveLength(2);
  });

  it('a partition is never reused after a wipe', async () => {
    const { shell } = shellFor('kiosk');
    shell.open();
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const p = shell.partitions?.portal ?? '';
      expect(seen.has(p)).toBe(false);
      seen.add(p);
      await shell.resetSession();
    }
  });
});
