import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeBrowserWindow, resetElectronMock } from '../../../tests/mocks/electron.ts';
import { ElectronConsentPresenter } from './consent-presenter.ts';

beforeEach(() => resetElectronMock());

function presenter() {
  const opened: FakeBrowserWindow[] = [];
  let dismissed = 0;
  const p = new ElectronConsentPresenter({
    open: () => {
      const w = new FakeBrowserWindow({ modal: true });
      opened.push(w);
      return w as unknown as BrowserWindow;
    },
    onDismissed: () => {
      dismissed++;
    },
  });
  return { p, opened, dismissed: () => dismissed };
}

describe('ElectronConsentPresenter', () => {
  it('show() opens one window and focuses it when asked again', () => {
    const { p, opened } = presenter();
    p.show();
    p.show();
    expect(opened).toHaveLength(1);
    expect(opened[0]?.focused).toBe(1);
    expect(p.isOpen).toBe(true);
  });

  it('close() destroys the window without reporting a dismissal', () => {
    const { p, opened, dismissed } = presenter();
    p.show();
    p.close();
    expect(opened[0]?.isDestroyed()).toBe(true);
    expect(dismissed()).toBe(0);
    expect(p.isOpen).toBe(false);
    p.close(); // idempotent
  });

  it('a resident closing the window is a cancel (onDismissed), reported once', () => {
    const { p, opened, dismissed } = presenter();
    p.show();
    opened[0]?.close();
    expect(dismissed()).toBe(1);
    p.close();
    expect(dismissed()).toBe(1);
    p.show();
    expect(opened).toHaveLength(2);
  });
});
