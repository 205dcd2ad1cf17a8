/**
 * The card's file system: which applications (APs) exist, which EFs each holds, and who may
 * read or use them. Contents come from a CardProfile; nothing here has behaviour — the APDU
 * processor (card.ts) applies the access rules.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { encodeBasic4Ef, encodeMyNumberEf } from './kenhojo-ber.ts';
import type { CardProfile } from './profile.ts';

export type PinId = 'auth' | 'sign' | 'kenhojo';
export type ApId = 'jpki' | 'kenhojo' | 'kenkaku' | 'juki';

/** AIDs (jpki-protocol §1). */
export const AID: Record<ApId, Uint8Array> = {
  jpki: Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]),
  kenhojo: Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08]),
  kenkaku: Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02]),
  juki: Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00]),
};

/** JPKI AP file ids (jpki-protocol §2.1). */
export const JPKI_EF = {
  SIGN_CERT: 0x0001,
  SIGN_CA_CERT: 0x0002,
  TOKEN: 0x0006,
  AUTH_CERT: 0x000a,
  AUTH_CA_CERT: 0x000b,
  AUTH_KEY: 0x0017,
  AUTH_PIN: 0x0018,
  SIGN_KEY: 0x001a,
  SIGN_PIN: 0x001b,
} as const;

/** kenhojo AP file ids (jpki-protocol §3.1). */
export const KENHOJO_EF = {
  MY_NUMBER: 0x0001,
  BASIC4: 0x0002,
  PIN: 0x0011,
} as const;

/** Which PIN EF guards which PIN, per AP. */
export const PIN_EF: Record<PinId, { ap: ApId; fid: number }> = {
  auth: { ap: 'jpki', fid: JPKI_EF.AUTH_PIN },
  sign: { ap: 'jpki', fid: JPKI_EF.SIGN_PIN },
  kenhojo: { ap: 'kenhojo', fid: KENHOJO_EF.PIN },
};

export interface BinaryEf {
  kind: 'binary';
  fid: number;
  data: Uint8Array;
  /** READ BINARY needs this PIN verified in the current AP session; undefined = free. */
  readPin?: PinId;
}

export interface PinEf {
  kind: 'pin';
  fid: number;
  pin: PinId;
}

export interface KeyEf {
  kind: 'key';
  fid: number;
  key: KeyObject;
  /** COMPUTE DIGITAL SIGNATURE needs this PIN verified in the current AP session. */
  pin: PinId;
}

export type Ef = BinaryEf | PinEf | KeyEf;

export interface Ap {
  id: ApId;
  aid: Uint8Array;
  efs: Map<number, Ef>;
  /**
   * Whether READ BINARY with a short EF id (P1 = 0x80|SFI) and VERIFY / CHANGE REFERENCE DATA
   * with P2 = 0x80|SFI are accepted. Seen only for kenhojo/kenkaku (jsapdu, jpki-protocol §2.2,
   * §5.2); for the JPKI AP the form is unconfirmed ([U]), so the emulator refuses it there
   * rather than let a client depend on something a real card may not do.
   */
  shortEfIds: boolean;
}

/** Size of EF 0006 as read by clients (`00 B0 00 00 20`, jpki-protocol §2.1). */
export const TOKEN_EF_SIZE = 32;

/** EF 0006: the token string padded with ASCII spaces to 32 bytes (jpki-protocol §2.1 [I]). */
export function encodeToken(token: string): Uint8Array {
  const bytes = new TextEncoder().encode(token);
  if (bytes.length > TOKEN_EF_SIZE) throw new RangeError('token longer than its EF');
  const out = new Uint8Array(TOKEN_EF_SIZE).fill(0x20);
  out.set(bytes, 0);
  return out;
}

function key(der: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

function efMap(efs: Ef[]): Map<number, Ef> {
  return new Map(efs.map((e) => [e.fid, e]));
}

/** Builds every AP of the card from a profile. */
export function buildCardFiles(p: CardProfile): Map<ApId, Ap> {
  // jpki-protocol §2.1: certificates free except the sign certificate (sign PIN first).
  const jpki: Ap = {
    id: 'jpki',
    aid: AID.jpki,
    shortEfIds: false,
    efs: efMap([
      { kind: 'binary', fid: JPKI_EF.TOKEN, data: encodeToken(p.token) },
      { kind: 'binary', fid: JPKI_EF.AUTH_CERT, data: p.authCert },
      { kind: 'binary', fid: JPKI_EF.AUTH_CA_CERT, data: p.authCaCert },
      { kind: 'binary', fid: JPKI_EF.SIGN_CERT, data: p.signCert, readPin: 'sign' },
      { kind: 'binary', fid: JPKI_EF.SIGN_CA_CERT, data: p.signCaCert },
      { kind: 'key', fid: JPKI_EF.AUTH_KEY, key: key(p.authKey), pin: 'auth' },
      { kind: 'pin', fid: JPKI_EF.AUTH_PIN, pin: 'auth' },
      { kind: 'key', fid: JPKI_EF.SIGN_KEY, key: key(p.signKey), pin: 'sign' },
      { kind: 'pin', fid: JPKI_EF.SIGN_PIN, pin: 'sign' },
    ]),
  };
  // jpki-protocol §3.1: My Number and basic 4 behind the kenhojo PIN 0011. PIN A/B (0014/0015)
  // and the signature/certificate/key EFs (0003–0007) are not modelled.
  const kenhojo: Ap = {
    id: 'kenhojo',
    aid: AID.kenhojo,
    shortEfIds: true,
    efs: efMap([
      { kind: 'binary', fid: KENHOJO_EF.MY_NUMBER, data: encodeMyNumberEf(p.myNumber), readPin: 'kenhojo' },
      { kind: 'binary', fid: KENHOJO_EF.BASIC4, data: encodeBasic4Ef(p.basic4), readPin: 'kenhojo' },
      { kind: 'pin', fid: KENHOJO_EF.PIN, pin: 'kenhojo' },
    ]),
  };
  // jpki-protocol §1, §3.6: selectable so that clients probing them get 9000, but empty —
  // every EF select there answers 6A82.
  const kenkaku: Ap = { id: 'kenkaku', aid: AID.kenkaku, shortEfIds: true, efs: new Map() };
  const juki: Ap = { id: 'juki', aid: AID.juki, shortEfIds: false, efs: new Map() };
  return new Map([
    ['jpki', jpki],
    ['kenhojo', kenhojo],
    ['kenkaku', kenkaku],
    ['juki', juki],
  ]);
}
