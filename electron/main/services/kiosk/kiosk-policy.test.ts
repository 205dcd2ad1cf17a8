import { describe, expect, it } from 'vitest';
import { isPersistentPartition, kioskLaunchProblems, kioskPartition, kioskPolicy } from './kiosk-policy.ts';

describe('kioskPolicy', () => {
  it('turns off the outbox, devtools, menus, persistent partitions and shortcuts', () => {
    expect(kioskPolicy()).toMatchObject({
      outbox: false,
      devTools: false,
      menus: false,
      persistentPartitions: false,
      reloadShortcuts: false,
      zoomShortcuts: false,
      openExternal: false,
      kioskWindow: true,
    });
  });

  it('is frozen: nobody can switch a protection back on at run time', () => {
    const p = kioskPolicy() as unknown as Record<string, unknown>;
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.refusedSwitches)).toBe(true);
    expect(() => {
      p.devTools = true;
    }).toThrow(TypeError);
  });

  it('names a fresh in-memory partition per session', () => {
    expect(kioskPartition(1)).toBe('kiosk-session-1');
    expect(kioskPartition(2)).not.toBe(kioskPartition(1));
    expect(isPersistentPartition(kioskPartition(7))).toBe(false);
    expect(isPersistentPartition('persist:portal')).toBe(true);
    expect(() => kioskPartition(0)).toThrow(RangeError);
    expect(() => kioskPartition(1.5)).toThrow(RangeError);
  });
});

describe('kioskLaunchProblems', () => {
  const exe = '/opt/Myna Companion/myna-companion';

  it('accepts a clean launch', () => {
    expect(kioskLaunchProblems({ argv: [exe, '--kiosk-profile=window-1'], execArgv: [], env: {} })).toEqual([]);
  });

  it.each([
    ['--remote-debugging-port=9222'],
    ['--remote-debugging-pipe'],
    ['--inspect'],
    ['--inspect=0.0.0.0:9229'],
    ['--inspect-brk'],
    ['--no-sandbox'],
    ['-no-sandbox'],
    ['--NO-SANDBOX'],
    ['/remote-debugging-port=9222'],
    ['--disable-web-security'],
  ])('refuses %s', (arg) => {
    expect(kioskLaunchProblems({ argv: [exe, arg] })).toHaveLength(1);
  });

  it('looks at execArgv, NODE_OPTIONS and ELECTRON_RUN_AS_NODE', () => {
    expect(kioskLaunchProblems({ argv: [exe], execArgv: ['--inspect-port=1'] })).toEqual(['execArgv: --inspect-port']);
    expect(kioskLaunchProblems({ argv: [exe], env: { NODE_OPTIONS: '--max-old-space-size=4096  --inspect' } })).toEqual(
      ['NODE_OPTIONS: --inspect'],
    );
    expect(kioskLaunchProblems({ argv: [exe], env: { ELECTRON_RUN_AS_NODE: '1' } })).toEqual([
      'env: ELECTRON_RUN_AS_NODE',
    ]);
    expect(kioskLaunchProblems({ argv: [exe], env: { ELECTRON_RUN_AS_NODE: '' } })).toEqual([]);
  });

  it('does not mistake a value or the executable path for a switch', () => {
    expect(kioskLaunchProblems({ argv: ['/inspect', '--lang=--no-sandbox', 'inspect'] })).toEqual([]);
  });
});
