/**
 * Which webhook endpoints the portal accepts and connects to. A resident chooses the URL, so
 * this is the portal's SSRF guard:
 *  - https only, no credentials or fragment in the URL, at most 2048 characters;
 *  - never loopback, private, link-local, CGNAT, multicast or reserved addresses — checked on
 *    the URL (IP literals, `localhost`) when the link is made AND on the address the name
 *    resolves to at every connection (DNS answers can change after the check);
 *  - `allowLoopback` (tests, a developer's machine) additionally admits http and https to
 *    127.0.0.0/8, ::1 and `localhost`; `allowPrivateNetworks` (a municipality's closed test
 *    network) admits https to the RFC 1918 / ULA / link-local ranges.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface EndpointPolicy {
  allowLoopback: boolean;
  allowPrivateNetworks: boolean;
}

export const MAX_ENDPOINT_LENGTH = 2048;

function blockList(entries: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [net, prefix, type] of entries) list.addSubnet(net, prefix, type);
  return list;
}

const LOOPBACK = blockList([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
  ['::ffff:127.0.0.0', 104, 'ipv6'],
]);

const PRIVATE = blockList([
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['::ffff:10.0.0.0', 104, 'ipv6'],
  ['::ffff:172.16.0.0', 108, 'ipv6'],
  ['::ffff:192.168.0.0', 112, 'ipv6'],
  ['::ffff:169.254.0.0', 112, 'ipv6'],
]);

/** Never a webhook destination, whatever the policy. */
const RESERVED = blockList([
  ['0.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['::ffff:0.0.0.0', 104, 'ipv6'],
  ['::ffff:100.64.0.0', 106, 'ipv6'],
  ['::ffff:224.0.0.0', 100, 'ipv6'],
]);

export type AddressClass = 'public' | 'loopback' | 'private' | 'reserved';

export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 0) return 'reserved';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(address, type)) return 'loopback';
  if (RESERVED.check(address, type)) return 'reserved';
  if (PRIVATE.check(address, type)) return 'private';
  return 'public';
}

export function addressAllowed(address: string, policy: EndpointPolicy): boolean {
  const c = classifyAddress(address);
  if (c === 'public') return true;
  if (c === 'loopback') return policy.allowLoopback;
  if (c === 'private') return policy.allowPrivateNetworks;
  return false;
}

const isLocalhostName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** The URL's host without IPv6 brackets. */
export const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Why this endpoint is refused (English, Japanese), or undefined when it is acceptable. */
export function endpointProblem(endpoint: string, policy: EndpointPolicy): { en: string; ja: string } | undefined {
  if (endpoint.length > MAX_ENDPOINT_LENGTH) {
    return { en: `at most ${MAX_ENDPOINT_LENGTH} characters`, ja: `${MAX_ENDPOINT_LENGTH}文字以内で指定してください` };
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { en: 'not an absolute URL', ja: 'URLとして正しくありません' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { en: `scheme ${url.protocol} is not allowed; use https`, ja: 'https のURLを指定してください' };
  }
  if (url.username || url.password) {
    return { en: 'credentials in the URL are not allowed', ja: 'URLに認証情報を含めることはできません' };
  }
  if (url.hash) return { en: 'a fragment (#…) is not allowed', ja: 'URLに # 以降を含めることはできません' };
  const host = bareHost(url);
  const literal = isIP(host) !== 0;
  const loopback = isLocalhostName(host) || (literal && classifyAddress(host) === 'loopback');
  if (url.protocol === 'http:' && !(loopback && policy.allowLoopback)) {
    return { en: 'the endpoint must use https', ja: 'https のURLを指定してください（http は使用できません）' };
  }
  if (loopback && !policy.allowLoopback) {
    return { en: 'loopback addresses are not allowed', ja: 'ループバックアドレスは指定できません' };
  }
  if (literal && !addressAllowed(host, policy)) {
    return {
      en: `${host} is a ${classifyAddress(host)} address, not allowed as a webhook destination`,
      ja: 'このIPアドレス（内部・予約済み）には送信できません',
    };
  }
  if (!literal && !host.includes('.') && !isLocalhostName(host)) {
    return {
      en: 'the host must be a fully qualified domain name',
      ja: 'ホスト名は完全修飾ドメイン名で指定してください',
    };
  }
  return undefined;
}

export class DisallowedAddressError extends Error {
  readonly code = 'EDISALLOWEDADDRESS';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address} (${classifyAddress(address)}), which is not an allowed webhook destination`);
    this.name = 'DisallowedAddressError';
  }
}

/**
 * A `lookup` for http(s).request that refuses disallowed addresses at connection time. Node
 * calls it with `all: true` when it races address families (autoSelectFamily), so both callback
 * shapes are served.
 */
export function guardedLookup(policy: EndpointPolicy): LookupFunction {
  return ((hostname: string, options: Record<string, unknown>, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      const allowed = addresses.filter((a) => addressAllowed(a.address, policy));
      if (allowed.length === 0) {
        return callback(new DisallowedAddressError(hostname, addresses[0]?.address ?? '(none)'));
      }
      if (options.all === true) return callback(null, allowed);
      const first = allowed[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  }) as unknown as LookupFunction;
}
