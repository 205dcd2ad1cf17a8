/**
 * What the emulator needs to impersonate one card. Demo residents are stored as one JSON file
 * each under resources/demo/cards/<id>.json (DER and PKCS#8 as base64); loadCardProfile()
 * turns that into this shape.
 */
export interface Basic4 {
  /** 氏名, UTF-8 */
  name: string;
  /** 住所, UTF-8 */
  address: string;
  /** 生年月日, YYYYMMDD (Gregorian) */
  birthDate: string;
  /** 性別: "1" male, "2" female, "9" not applicable (ISO 5218) */
  sex: '1' | '2' | '9';
}

export interface PinTries {
  auth: number;
  sign: number;
  kenhojo: number;
}

export interface CardProfile {
  id: string;
  /** EF 0006 token, e.g. "JPKIAPICCTOKEN2" (My Number Card). */
  token: string;
  authPin: string;
  /** Upper-case, as the card stores it. */
  signPassword: string;
  kenhojoPin: string;
  /** 12 digits. */
  myNumber: string;
  basic4: Basic4;
  /** DER certificates */
  authCert: Uint8Array;
  authCaCert: Uint8Array;
  signCert: Uint8Array;
  signCaCert: Uint8Array;
  /** PKCS#8 DER private keys (RSA-2048) */
  authKey: Uint8Array;
  signKey: Uint8Array;
  /** Tries left when the card is first created (no state file yet). Defaults 3/5/3. */
  initialTries?: Partial<PinTries>;
}

/** The on-disk JSON form (resources/demo/cards/<id>.json). */
export interface CardProfileJson {
  id: string;
  token: string;
  authPin: string;
  signPassword: string;
  kenhojoPin: string;
  myNumber: string;
  basic4: Basic4;
  authCert: string;
  authCaCert: string;
  signCert: string;
  signCaCert: string;
  authKey: string;
  signKey: string;
  initialTries?: Partial<PinTries>;
}

export const MAX_TRIES: PinTries = { auth: 3, sign: 5, kenhojo: 3 };

export function profileFromJson(j: CardProfileJson): CardProfile {
  const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
  return {
    ...j,
    authCert: b(j.authCert),
    authCaCert: b(j.authCaCert),
    signCert: b(j.signCert),
    signCaCert: b(j.signCaCert),
    authKey: b(j.authKey),
    signKey: b(j.signKey),
  };
}
