/**
 * The names of the IPC surface: channel → window kind, call kind and the function name the
 * bridge exposes. Kept apart from the zod schemas (contract.ts) so that the preloads can build
 * their bridge without bundling a schema library: they forward, main validates.
 */
export type WindowKind = 'portal' | 'consent';

export const SURFACE = {
  'app:info': { window: 'portal', kind: 'invoke', fn: 'getAppInfo' },
  'card:state': { window: 'portal', kind: 'invoke', fn: 'getCardState' },
  'card:event': { window: 'portal', kind: 'event', fn: 'onCardEvent' },
  'card:certificates': { window: 'portal', kind: 'invoke', fn: 'getCertificates' },
  'pin:status': { window: 'portal', kind: 'invoke', fn: 'getPinStatus' },
  'pin:change': { window: 'portal', kind: 'invoke', fn: 'changePin' },
  'auth:login': { window: 'portal', kind: 'invoke', fn: 'login' },
  'card:basic-info': { window: 'portal', kind: 'invoke', fn: 'readBasicInfo' },
  'application:sign': { window: 'portal', kind: 'invoke', fn: 'signApplication' },
  'outbox:list': { window: 'portal', kind: 'invoke', fn: 'listOutbox' },
  'outbox:retry': { window: 'portal', kind: 'invoke', fn: 'retryOutbox' },
  'outbox:event': { window: 'portal', kind: 'event', fn: 'onOutboxChange' },
  'settings:get': { window: 'portal', kind: 'invoke', fn: 'getSettings' },
  'settings:set': { window: 'portal', kind: 'invoke', fn: 'setSettings' },
  'consent:get': { window: 'consent', kind: 'invoke', fn: 'getConsent' },
  'consent:submit': { window: 'consent', kind: 'invoke', fn: 'submitPin' },
  'consent:cancel': { window: 'consent', kind: 'invoke', fn: 'cancelConsent' },
  'consent:update': { window: 'consent', kind: 'event', fn: 'onConsentUpdate' },
} as const satisfies Record<string, { window: WindowKind; kind: 'invoke' | 'event'; fn: string }>;

export type Channel = keyof typeof SURFACE;

export function channelsOf(window: WindowKind): Channel[] {
  return (Object.keys(SURFACE) as Channel[]).filter((c) => SURFACE[c].window === window);
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(SURFACE, name);
}
