import { describe, expect, it } from 'vitest';
import { senderProblem } from './sender.ts';

const APP = 'app://myna-companion';

describe('senderProblem', () => {
  const ok = { frameUrl: `${APP}/index.html`, isMainFrame: true, windowKind: 'portal' as const };
  it('accepts our page in the main frame of a portal window for a portal channel', () => {
    expect(senderProblem(ok, 'card:state', APP)).toBeUndefined();
  });
  it.each([
    ['foreign origin', { ...ok, frameUrl: 'https://evil.example/index.html' }],
    ['look-alike host', { ...ok, frameUrl: 'app://myna-companion.evil/index.html' }],
    ['file page', { ...ok, frameUrl: 'file:///index.html' }],
    ['userinfo trick', { ...ok, frameUrl: 'app://myna-companion@evil.example/index.html' }],
    ['our host with credentials', { ...ok, frameUrl: 'app://user:pw@myna-companion/index.html' }],
    ['subframe', { ...ok, isMainFrame: false }],
    ['window not ours', { ...ok, windowKind: undefined }],
    ['destroyed frame', { ...ok, frameUrl: undefined }],
    ['garbage url', { ...ok, frameUrl: 'not a url' }],
  ])('refuses %s', (_name, sender) => {
    expect(senderProblem(sender, 'card:state', APP)).toBeTypeOf('string');
  });
  it('keeps the consent channels to the consent window and the portal channels to the portal window', () => {
    expect(senderProblem(ok, 'consent:submit', APP)).toMatch(/consent/);
    expect(
      senderProblem({ ...ok, windowKind: 'consent', frameUrl: `${APP}/consent.html` }, 'consent:submit', APP),
    ).toBeUndefined();
    expect(senderProblem({ ...ok, windowKind: 'consent' }, 'auth:login', APP)).toMatch(/portal/);
  });
});
