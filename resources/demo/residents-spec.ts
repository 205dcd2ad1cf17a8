/**
 * The demo residents — ALL FICTIONAL. Surnames are words for "sample" (見本), "test" (試験),
 * "fictional" (架空), "example" (例題) and "verification" (検証); the town names (見本町, 試験町, …)
 * do not exist. My Numbers are drawn from a seeded stream with a valid check digit, so one may by
 * chance equal a real person's number: never use them outside this project's tests.
 *
 * generate.ts turns this table into certificates, card profiles and residents.json.
 */
import type { Basic4, PinTries } from '../../native/emulator/profile.ts';

/** Dates are UTC instants written as ISO strings, fixed so that output is reproducible. */
export interface Validity {
  notBefore: string;
  notAfter: string;
}

/** RFC 5280 CRLReason values used here. */
export const CRL_REASON = { keyCompromise: 1, affiliationChanged: 3, superseded: 4, cessationOfOperation: 5 } as const;

export interface ResidentSpec {
  id: string;
  basic4: Basic4;
  authPin: string;
  signPassword: string;
  kenhojoPin: string;
  authValidity: Validity;
  signValidity: Validity;
  /** The sign certificate is listed on the sign CA's CRL. */
  signRevoked?: { date: string; reason: number };
  initialTries?: Partial<PinTries>;
  note: { ja: string; en: string };
}

/** Normal certificate validity (jpki-protocol §7: really "until the 5th birthday", capped by the card). */
const NORMAL: Validity = { notBefore: '2025-04-01T00:00:00Z', notAfter: '2030-03-31T23:59:59Z' };
/**
 * Expired certificates. Chosen inside the demo CAs' own validity (from 2023-07-16) so that the
 * chain nests; a card issued in 2015 with a 10-year card expiry caps its certificates like this.
 */
const EXPIRED: Validity = { notBefore: '2023-08-01T00:00:00Z', notAfter: '2025-07-31T23:59:59Z' };

export const RESIDENTS: readonly ResidentSpec[] = [
  {
    id: 'resident-01',
    basic4: { name: '見本　花子', address: '東京都千代田区見本町一丁目２番３号', birthDate: '19850615', sex: '2' },
    authPin: '1234',
    signPassword: 'ABC123',
    kenhojoPin: '1234',
    authValidity: NORMAL,
    signValidity: NORMAL,
    note: {
      ja: '標準の住民：ログイン・署名・券面事項の読み取りがすべて成功する',
      en: 'ordinary resident: login, signing and basic-info reading all work',
    },
  },
  {
    id: 'resident-02',
    basic4: {
      name: '試験　太郎',
      address: '神奈川県横浜市中区試験町三丁目４番地５　試験コーポ２０１号',
      birthDate: '19921103',
      sex: '1',
    },
    authPin: '2580',
    signPassword: 'TARO2580',
    kenhojoPin: '2580',
    authValidity: NORMAL,
    signValidity: NORMAL,
    signRevoked: { date: '2025-11-15T01:00:00Z', reason: CRL_REASON.affiliationChanged },
    note: {
      ja: '署名用電子証明書が失効（転居）：署名用CAのCRLに掲載。利用者証明用は有効',
      en: 'sign certificate revoked (moved house): listed on the sign CA CRL; auth certificate still valid',
    },
  },
  {
    id: 'resident-03',
    basic4: {
      name: '架空　一郎',
      address: '大阪府大阪市北区架空町二丁目１０番１５号',
      birthDate: '19700401',
      sex: '1',
    },
    authPin: '0303',
    signPassword: 'KIGEN2025',
    kenhojoPin: '0303',
    authValidity: EXPIRED,
    signValidity: EXPIRED,
    note: {
      ja: '利用者証明用・署名用とも電子証明書の有効期限切れ（2025-07-31まで）',
      en: 'auth and sign certificates both expired (valid until 2025-07-31)',
    },
  },
  {
    id: 'resident-04',
    basic4: {
      name: '例題　トメ',
      address: '北海道札幌市中央区例題町北一条西五丁目６番地',
      birthDate: '19250310',
      sex: '2',
    },
    authPin: '1925',
    signPassword: 'TOME1925',
    kenhojoPin: '1925',
    authValidity: NORMAL,
    signValidity: NORMAL,
    initialTries: { sign: 0 },
    note: {
      ja: '署名用パスワードがロック済み（残り0回、市区町村窓口での初期化が必要）。大正生まれ',
      en: 'sign password locked (0 tries left; reset at the municipal window). Born in 大正',
    },
  },
  {
    id: 'resident-05',
    basic4: { name: '検証　翔太', address: '福岡県福岡市博多区検証町四丁目５番６号', birthDate: '20010820', sex: '1' },
    authPin: '5150',
    signPassword: 'A1B2C3D4E5F6G7H8',
    kenhojoPin: '0505',
    authValidity: NORMAL,
    signValidity: NORMAL,
    initialTries: { auth: 1 },
    note: {
      ja: '利用者証明用PINの残り回数が1回。券面事項入力補助用PINは利用者証明用PINと異なる。署名用パスワードは16文字',
      en: 'auth PIN has one try left; kenhojo PIN differs from the auth PIN; 16-character sign password',
    },
  },
  {
    id: 'resident-06',
    basic4: {
      name: '髙﨑　𠮷野',
      address:
        '京都府京都市東山区大和大路通四条下る見本町二丁目５６７番地の８　メゾン・ド・髙﨑ヴィラ𠮷野第二号棟１２３４号室',
      birthDate: '19890107',
      sex: '9',
    },
    authPin: '0789',
    signPassword: 'TAKASAKI1989',
    kenhojoPin: '0789',
    authValidity: NORMAL,
    signValidity: NORMAL,
    note: {
      ja: '長い住所と異体字・外字相当の漢字（髙・﨑・𠮷＝4バイトUTF-8）、性別「9」（適用不能）、昭和最終日（1989-01-07）生まれ',
      en: 'long address, rare kanji 髙 﨑 𠮷 (𠮷 is 4-byte UTF-8 / a UTF-16 surrogate pair), sex "9", born on the last day of 昭和',
    },
  },
];
