import { describe, expect, it } from 'vitest';
import { forbiddenSwitches, launchRefusal, refusedSwitches } from './switches.ts';

const EXE = '/opt/Myna Companion/myna-companion';

describe('forbiddenSwitches (electron-anchors §2.2)', () => {
  it('finds debugger and sandbox switches in every spelling Chromium accepts', () => {
    expect(forbiddenSwitches([EXE, '--remote-debugging-port=9222'], undefined, 'linux')).toEqual([
      'remote-debugging-port',
    ]);
    expect(forbiddenSwitches([EXE, '--inspect'], undefined, 'linux')).toEqual(['inspect']);
    expect(forbiddenSwitches([EXE, '--inspect-brk=0.0.0.0:9229'], undefined, 'linux')).toEqual(['inspect-brk']);
    expect(forbiddenSwitches([EXE, '-no-sandbox'], undefined, 'linux')).toEqual(['no-sandbox']);
    expect(forbiddenSwitches([EXE, '--NO-SANDBOX'], undefined, 'linux')).toEqual(['no-sandbox']);
    expect(forbiddenSwitches([EXE, '/remote-debugging-port=1'], undefined, 'win32')).toEqual(['remote-debugging-port']);
    expect(forbiddenSwitches([EXE, '--', '--inspect'], undefined, 'linux')).toEqual(['inspect']);
  });

  it('ignores the executable, ordinary arguments and our own switches', () => {
    expect(
      forbiddenSwitches(['--inspect', '.', '--kiosk', '--portal-url=https://p.example'], undefined, 'linux'),
    ).toEqual([]);
    expect(forbiddenSwitches([EXE, '/no-sandbox'], undefined, 'linux')).toEqual([]);
  });

  it('also asks Chromium (app.commandLine.hasSwitch), which sees switches that did not come through argv', () => {
    const seen = new Set(['remote-debugging-pipe']);
    expect(forbiddenSwitches([EXE], (s) => seen.has(s), 'linux')).toEqual(['remote-debugging-pipe']);
  });

  it('one list for kiosk and production, frozen', () => {
    for (const s of ['remote-debugging-port', 'inspect', 'no-sandbox']) expect(refusedSwitches()).toContain(s);
    expect(Object.isFrozen(refusedSwitches())).toBe(true);
  });

  it('does not mistake a value or a non-switch for a switch', () => {
    expect(
      forbiddenSwitches([EXE, '--lang=--no-sandbox', 'inspect', '--kiosk-profile=w1'], undefined, 'linux'),
    ).toEqual([]);
  });
});

describe('launchRefusal (debug-switch refusal)', () => {
  const base = { argv: [EXE, '--remote-debugging-port=9222'], env: {}, platform: 'linux' as const };

  it('refuses to start in kiosk mode with --remote-debugging-port, --inspect or --no-sandbox', () => {
    for (const flag of ['--remote-debugging-port=9222', '--inspect', '--inspect=9229', '--no-sandbox']) {
      const r = launchRefusal({ ...base, argv: [EXE, flag], kiosk: true, production: false });
      expect(r, flag).toBeDefined();
      expect(r?.message.en).toContain('kiosk mode');
      expect(r?.message.ja).toContain('キオスクモード');
    }
  });

  it('refuses in a production (packaged) build as well', () => {
    const r = launchRefusal({ ...base, kiosk: false, production: true });
    expect(r?.problems).toEqual(['--remote-debugging-port']);
    expect(r?.message.en).toContain('production');
  });

  it('lets a development build start with them (Playwright _electron adds --inspect=0 --remote-debugging-port=0)', () => {
    expect(
      launchRefusal({
        ...base,
        argv: [EXE, '--inspect=0', '--remote-debugging-port=0'],
        kiosk: false,
        production: false,
      }),
    ).toBeUndefined();
  });

  it('also refuses NODE_OPTIONS inspectors, ELECTRON_RUN_AS_NODE and what hasSwitch reports', () => {
    const r = launchRefusal({
      argv: [EXE],
      env: { NODE_OPTIONS: '--inspect=9229', ELECTRON_RUN_AS_NODE: '1' },
      hasSwitch: (s) => s === 'no-sandbox',
      platform: 'linux',
      kiosk: true,
      production: true,
    });
    expect(r?.problems).toEqual(['--no-sandbox', 'NODE_OPTIONS: --inspect', 'env: ELECTRON_RUN_AS_NODE']);
  });

  it('looks at Node’s execArgv and every NODE_OPTIONS entry', () => {
    const kiosk = { argv: [EXE], platform: 'linux' as const, kiosk: true, production: false };
    expect(launchRefusal({ ...kiosk, execArgv: ['--inspect-port=1'] })?.problems).toEqual(['execArgv: --inspect-port']);
    expect(
      launchRefusal({ ...kiosk, env: { NODE_OPTIONS: '--max-old-space-size=4096  --inspect-brk' } })?.problems,
    ).toEqual(['NODE_OPTIONS: --inspect-brk']);
    expect(launchRefusal({ ...kiosk, env: { NODE_OPTIONS: '--max-old-space-size=4096' } })).toBeUndefined();
  });

  it('ELECTRON_RUN_AS_NODE counts when set to anything but empty or 0', () => {
    const kiosk = { argv: [EXE], platform: 'linux' as const, kiosk: true, production: false };
    expect(launchRefusal({ ...kiosk, env: { ELECTRON_RUN_AS_NODE: 'true' } })?.problems).toEqual([
      'env: ELECTRON_RUN_AS_NODE',
    ]);
    expect(launchRefusal({ ...kiosk, env: { ELECTRON_RUN_AS_NODE: '' } })).toBeUndefined();
    expect(launchRefusal({ ...kiosk, env: { ELECTRON_RUN_AS_NODE: '0' } })).toBeUndefined();
  });

  it('starts when nothing is present', () => {
    expect(launchRefusal({ argv: [EXE, '--kiosk'], env: {}, platform: 'linux', kiosk: true, production: true })).toBe(
      undefined,
    );
  });
});
