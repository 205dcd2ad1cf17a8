/**
 * The demo catalog of the 子育てワンストップサービス (product-anchors §3.3: four fields — 児童手当, 保育,
 * ひとり親支援, 母子保健; service search, and online application for some procedures).
 *
 * DEMO DATA. The municipalities and their 全国地方公共団体コード are real (check digits verified by
 * tests); the services describe the national schemes as they stand (児童手当 after the 2024-10
 * reform, 妊婦のための支援給付 from 2025-04), but the counters, phone numbers and which municipality
 * offers which procedure online are invented. Phone numbers use a local exchange beginning with 0
 * (e.g. 03-0000-1101), which is never assigned in Japan, so nobody's real number is printed.
 *
 * Deterministic: the catalog is built from fixed tables, in a fixed order (municipality code,
 * category, template), with ids `<municipality code>-<template slug>`.
 */

export const CATEGORIES = [
  {
    key: 'jidou-teate',
    ja: '児童手当',
    en: 'Child allowance',
    readings: ['じどうてあて', 'てあて'],
  },
  {
    key: 'hoiku',
    ja: '保育',
    en: 'Childcare',
    readings: ['ほいく', 'ほいくしょ', 'ほいくえん', 'ほいくじょ', 'たくじ'],
  },
  {
    key: 'hitorioya',
    ja: 'ひとり親支援',
    en: 'Single-parent support',
    readings: ['ひとりおや', 'ぼしかてい', 'ふしかてい', 'ぼしふしかてい'],
  },
  {
    key: 'boshi-hoken',
    ja: '母子保健',
    en: 'Maternal and child health',
    readings: ['ぼしほけん', 'にんしん', 'しゅっさん', 'にんぷ', 'にゅうようじ'],
  },
] as const;

export type CategoryKey = (typeof CATEGORIES)[number]['key'];
export const CATEGORY_KEYS: readonly CategoryKey[] = CATEGORIES.map((c) => c.key);

export function isCategoryKey(s: string): s is CategoryKey {
  return (CATEGORY_KEYS as readonly string[]).includes(s);
}

/** The procedures that can be applied for online, each with a form schema in forms/. */
export const PROCEDURE_IDS = ['jidou-teate-nintei', 'hoikusho-nyusho'] as const;
export type ProcedureId = (typeof PROCEDURE_IDS)[number];

export function isProcedureId(s: string): s is ProcedureId {
  return (PROCEDURE_IDS as readonly string[]).includes(s);
}

export interface Municipality {
  /** 全国地方公共団体コード, 6 digits with the check digit. */
  code: string;
  prefecture: string;
  name: string;
  /** Reading in hiragana (used by search). */
  nameKana: string;
  nameEn: string;
}

export interface Contact {
  /** 窓口 */
  counter: string;
  phone: string;
  hours: string;
}

export interface KosodateService {
  /** `<municipality code>-<slug>`, stable across runs. */
  id: string;
  municipalityCode: string;
  municipalityName: string;
  category: CategoryKey;
  title: string;
  titleEn: string;
  summary: string;
  /** Paragraphs separated by a blank line. */
  description: string;
  /** Present when the procedure can be applied for online with a signed package. */
  onlineApplication?: { procedureId: ProcedureId };
  requiredDocuments: string[];
  contact: Contact;
  /** Hiragana readings and other search words (not shown). */
  readings: string[];
}

interface MunicipalityEntry extends Municipality {
  /** Phone area code, and how its local part is split (03 → 4+4, 045 → 3+4). */
  areaCode: string;
  /** Counter prefix, e.g. `千代田区役所` or `お住まいの区の区役所（横浜市）`. */
  office: string;
  online: readonly ProcedureId[];
}

/** Ordered by code. Designated cities (政令指定都市) serve residents at their ward offices. */
const MUNICIPALITIES: readonly MunicipalityEntry[] = [
  {
    code: '011002',
    prefecture: '北海道',
    name: '札幌市',
    nameKana: 'さっぽろし',
    nameEn: 'Sapporo City',
    areaCode: '011',
    office: 'お住まいの区の区役所（札幌市）',
    online: ['jidou-teate-nintei'],
  },
  {
    code: '131016',
    prefecture: '東京都',
    name: '千代田区',
    nameKana: 'ちよだく',
    nameEn: 'Chiyoda City',
    areaCode: '03',
    office: '千代田区役所',
    online: ['jidou-teate-nintei', 'hoikusho-nyusho'],
  },
  {
    code: '131130',
    prefecture: '東京都',
    name: '渋谷区',
    nameKana: 'しぶやく',
    nameEn: 'Shibuya City',
    areaCode: '03',
    office: '渋谷区役所',
    online: ['jidou-teate-nintei', 'hoikusho-nyusho'],
  },
  {
    code: '141003',
    prefecture: '神奈川県',
    name: '横浜市',
    nameKana: 'よこはまし',
    nameEn: 'Yokohama City',
    areaCode: '045',
    office: 'お住まいの区の区役所（横浜市）',
    online: ['jidou-teate-nintei', 'hoikusho-nyusho'],
  },
  {
    code: '231002',
    prefecture: '愛知県',
    name: '名古屋市',
    nameKana: 'なごやし',
    nameEn: 'Nagoya City',
    areaCode: '052',
    office: 'お住まいの区の区役所（名古屋市）',
    online: [],
  },
  {
    code: '271004',
    prefecture: '大阪府',
    name: '大阪市',
    nameKana: 'おおさかし',
    nameEn: 'Osaka City',
    areaCode: '06',
    office: 'お住まいの区の区役所（大阪市）',
    online: ['jidou-teate-nintei', 'hoikusho-nyusho'],
  },
  {
    code: '401307',
    prefecture: '福岡県',
    name: '福岡市',
    nameKana: 'ふくおかし',
    nameEn: 'Fukuoka City',
    areaCode: '092',
    office: 'お住まいの区の区役所（福岡市）',
    online: ['jidou-teate-nintei', 'hoikusho-nyusho'],
  },
];

const COUNTERS: Record<CategoryKey, string> = {
  'jidou-teate': 'こども家庭課 児童手当係',
  hoiku: '保育課 入所相談窓口',
  hitorioya: 'こども家庭課 ひとり親支援係',
  'boshi-hoken': '保健センター 母子保健係',
};

const HOURS = '平日 8:30〜17:15（土日祝日・年末年始を除く）';

interface Template {
  slug: string;
  category: CategoryKey;
  title: string;
  titleEn: string;
  readings: string[];
  summary: string;
  description: (m: Municipality, online: boolean) => string;
  requiredDocuments: string[];
  procedureId?: ProcedureId;
}

const onlineNote = (m: Municipality, online: boolean): string =>
  online
    ? `${m.name}では、マイナンバーカードの署名用電子証明書で電子署名してオンラインで申請できます。添付書類はPDF・JPEG・PNGで提出してください。`
    : `${m.name}では、この手続はオンライン申請に対応していません。窓口または郵送で手続してください。`;

const TEMPLATES: readonly Template[] = [
  {
    slug: 'jidou-teate-nintei',
    category: 'jidou-teate',
    title: '児童手当 認定請求',
    titleEn: 'Child allowance: claim for certification',
    readings: ['じどうてあて', 'にんていせいきゅう', 'しんせい', 'しゅっせい', 'てんにゅう'],
    summary:
      '高校生年代までの児童を養育している方が児童手当を受けるための請求です。出生や転入の翌日から15日以内に請求してください。',
    description: (m, online) =>
      [
        '支給対象：高校生年代まで（18歳到達後の最初の3月31日まで）の児童を養育している方。所得制限はありません。',
        '支給額（月額）：3歳未満は15,000円、3歳から高校生年代までは10,000円。第3子以降は30,000円。',
        '支給月：偶数月（2月・4月・6月・8月・10月・12月）に、それぞれの前月分までを支給します。',
        '原則として請求した月の翌月分から支給します。出生日や転入した日が月末に近い場合でも、その翌日から15日以内に請求すれば、その翌月分から支給します。',
        '公務員の方は勤務先から支給されます。勤務先で手続してください。',
        onlineNote(m, online),
      ].join('\n\n'),
    requiredDocuments: [
      '請求者名義の振込先口座が確認できるもの（通帳・キャッシュカードの写し）※公金受取口座を使う場合は不要',
      '別居監護申立書（児童と別居している場合）',
      '監護相当・生計費の負担についての確認書（大学生年代の子を養育している場合）',
    ],
    procedureId: 'jidou-teate-nintei',
  },
  {
    slug: 'jidou-teate-gakukaitei',
    category: 'jidou-teate',
    title: '児童手当 額改定請求',
    titleEn: 'Child allowance: request to change the amount',
    readings: ['じどうてあて', 'がくかいていせいきゅう', 'にじ', 'だいにし'],
    summary: '第2子以降の出生などで支給対象の児童が増えたときに、手当額の改定を請求します。',
    description: (m) =>
      [
        '児童手当を受給している方が、出生などで養育する児童が増えたときの手続です。請求した月の翌月分から手当額が増額されます（出生日の翌日から15日以内の特例があります）。',
        `${m.name}の窓口または郵送で請求してください。`,
      ].join('\n\n'),
    requiredDocuments: ['別居監護申立書（児童と別居している場合）'],
  },
  {
    slug: 'jidou-teate-henkou',
    category: 'jidou-teate',
    title: '児童手当 氏名・住所・振込口座の変更届',
    titleEn: 'Child allowance: notice of change of name, address or bank account',
    readings: ['じどうてあて', 'へんこうとどけ', 'こうざ', 'じゅうしょ'],
    summary: '受給者や児童の氏名・住所、振込先口座が変わったときの届出です。',
    description: (m) =>
      [
        '受給者の氏名・住所、児童の氏名、振込先口座などに変更があったときに届け出てください。',
        `${m.name}の外へ転出する場合は、転出予定日の翌日から15日以内に転出先の市区町村で新たに認定請求が必要です。`,
      ].join('\n\n'),
    requiredDocuments: ['変更後の振込先口座が確認できるもの（口座を変更する場合）'],
  },
  {
    slug: 'jidou-teate-shoumetsu',
    category: 'jidou-teate',
    title: '児童手当 受給事由消滅届',
    titleEn: 'Child allowance: notice of loss of eligibility',
    readings: ['じどうてあて', 'しょうめつとどけ'],
    summary: '児童を養育しなくなったときなど、受給資格がなくなったときの届出です。',
    description: () =>
      [
        '児童を養育しなくなった、公務員になった、などの理由で受給資格がなくなったときは届け出てください。',
        '届出が遅れると、手当を返還していただくことがあります。',
      ].join('\n\n'),
    requiredDocuments: [],
  },
  {
    slug: 'hoikusho-nyusho',
    category: 'hoiku',
    title: '保育所等 入所申込（支給認定申請）',
    titleEn: 'Nursery school: application for admission (certification of need for childcare)',
    readings: ['ほいくしょ', 'ほいくえん', 'にゅうしょもうしこみ', 'しきゅうにんてい', 'にんていこどもえん', 'ほかつ'],
    summary:
      '保護者の就労・妊娠・出産・疾病・介護などで家庭で保育できない就学前の児童について、保育所・認定こども園・地域型保育事業の利用を申し込みます。',
    description: (m, online) =>
      [
        '対象：保護者が就労・妊娠・出産・疾病・介護・求職活動・就学などのため、家庭で保育できない0歳から小学校就学前までの児童。',
        '支給認定：3歳以上は2号認定、3歳未満は3号認定。保育必要量は「保育標準時間」（最長11時間）または「保育短時間」（最長8時間）です。',
        '希望施設は第1希望から第5希望まで申し込めます。定員を超える場合は、保育の必要性の程度に応じて利用調整（選考）を行います。',
        '3歳から5歳までの児童の保育料は無償化の対象です（0歳から2歳までは住民税非課税世帯が対象）。',
        onlineNote(m, online),
      ].join('\n\n'),
    requiredDocuments: [
      '就労（内定）証明書（就労している保護者ごとに。同居の60歳未満の祖父母を含む）',
      '保育を必要とする事由の申立書（疾病・介護・求職活動・就学などの場合）',
      '母子健康手帳の写し（妊娠・出産の場合）',
      '育児休業取得証明書（育児休業中の場合）',
    ],
    procedureId: 'hoikusho-nyusho',
  },
  {
    slug: 'hoikusho-akijoukyou',
    category: 'hoiku',
    title: '保育所等の空き状況',
    titleEn: 'Nursery schools: vacancies',
    readings: ['ほいくしょ', 'ほいくえん', 'あきじょうきょう', 'くうき'],
    summary: '保育所・認定こども園・小規模保育事業所などの年齢別の受入れ可能数を毎月お知らせします。',
    description: (m) =>
      [
        `${m.name}内の保育施設の受入れ可能数（空き状況）を、毎月1日時点で公表しています。`,
        '空きがあっても、利用調整の結果によっては入所できない場合があります。',
      ].join('\n\n'),
    requiredDocuments: [],
  },
  {
    slug: 'ichiji-azukari',
    category: 'hoiku',
    title: '一時預かり事業',
    titleEn: 'Temporary childcare',
    readings: ['いちじあずかり', 'ほいく', 'りふれっしゅ'],
    summary: '保護者の通院・冠婚葬祭・リフレッシュなどのとき、保育所などで一時的に児童を預かります。',
    description: () =>
      [
        '対象：保育所などに通っていない生後6か月から小学校就学前までの児童。',
        '利用には事前登録が必要です。利用料は施設ごとに定めています。',
      ].join('\n\n'),
    requiredDocuments: ['利用登録申請書', '母子健康手帳（予防接種歴の確認）'],
  },
  {
    slug: 'byouji-hoiku',
    category: 'hoiku',
    title: '病児・病後児保育',
    titleEn: 'Care for sick or convalescent children',
    readings: ['びょうじほいく', 'びょうごじほいく', 'ほいく'],
    summary: '病気やその回復期で集団保育が難しい児童を、専用施設で一時的に保育します。',
    description: () =>
      [
        '保護者が仕事などで家庭で看病できないときに利用できます。',
        '利用前に医師の診察を受け、医師連絡票を提出してください。',
      ].join('\n\n'),
    requiredDocuments: ['医師連絡票', '利用登録申請書'],
  },
  {
    slug: 'jidou-fuyou-teate',
    category: 'hitorioya',
    title: '児童扶養手当',
    titleEn: 'Child-rearing allowance for single-parent families',
    readings: ['じどうふようてあて', 'ひとりおや', 'ぼしかてい', 'ふしかてい', 'りこん'],
    summary:
      'ひとり親家庭などの生活の安定と自立を助けるため、18歳到達後の最初の3月31日までの児童を養育する方に支給します。',
    description: (m) =>
      [
        '対象：父母の離婚などにより、父または母と生計を同じくしていない児童を養育している方（児童に障害がある場合は20歳未満まで）。',
        '所得に応じて全部支給・一部支給・支給停止となります。支給月は奇数月（1月・3月・5月・7月・9月・11月）です。',
        `認定請求には、${m.name}の窓口での面談が必要です。事前に予約してください。`,
      ].join('\n\n'),
    requiredDocuments: ['戸籍謄本（請求者と児童のもの）', '請求者名義の振込先口座が確認できるもの'],
  },
  {
    slug: 'hitorioya-iryouhi',
    category: 'hitorioya',
    title: 'ひとり親家庭等医療費助成',
    titleEn: 'Medical expense subsidy for single-parent families',
    readings: ['ひとりおや', 'いりょうひじょせい', 'まるおや'],
    summary: 'ひとり親家庭などの親と児童が、健康保険証で受診したときの自己負担額の一部を助成します。',
    description: () =>
      [
        '対象：児童扶養手当の所得制限に準じた所得基準を満たすひとり親家庭等の親と児童。',
        '医療証を医療機関の窓口で提示してください。',
      ].join('\n\n'),
    requiredDocuments: ['資格確認書類（マイナ保険証の資格情報のお知らせ等）', '戸籍謄本'],
  },
  {
    slug: 'jiritsu-shien-kyufukin',
    category: 'hitorioya',
    title: 'ひとり親家庭 自立支援給付金',
    titleEn: 'Self-reliance support benefits for single parents',
    readings: ['ひとりおや', 'じりつしえん', 'きょういくくんれん', 'こうとうしょくぎょうくんれん', 'しかく'],
    summary:
      '就職に有利な資格の取得や教育訓練講座の受講を支援する給付金（自立支援教育訓練給付金・高等職業訓練促進給付金）です。',
    description: () =>
      [
        '対象：児童扶養手当の支給を受けている、または同等の所得水準にあるひとり親。',
        '受講開始前に事前相談と対象講座の指定申請が必要です。',
      ].join('\n\n'),
    requiredDocuments: ['受講予定の講座の案内', '戸籍謄本'],
  },
  {
    slug: 'fukushi-shikin-kashitsuke',
    category: 'hitorioya',
    title: '母子父子寡婦福祉資金貸付金',
    titleEn: 'Welfare loans for single-parent families and widows',
    readings: ['ぼしふしかふ', 'かしつけ', 'ひとりおや', 'しゅうがくしきん'],
    summary: 'ひとり親家庭の経済的自立と児童の福祉のため、修学資金・就学支度資金などを貸し付けます。',
    description: () =>
      [
        '無利子または低利子で、修学資金・就学支度資金・技能習得資金など12種類の資金を貸し付けます。',
        '貸付には審査があります。申込みの前に窓口へご相談ください。',
      ].join('\n\n'),
    requiredDocuments: ['戸籍謄本', '所得証明書', '在学証明書または合格通知書（修学資金の場合）'],
  },
  {
    slug: 'ninshin-todoke',
    category: 'boshi-hoken',
    title: '妊娠の届出（母子健康手帳の交付）',
    titleEn: 'Notification of pregnancy (maternal and child health handbook)',
    readings: ['にんしんのとどけで', 'ぼしけんこうてちょう', 'ぼしてちょう', 'にんぷけんしん'],
    summary: '妊娠が分かったら届け出てください。母子健康手帳と妊婦健康診査の受診票をお渡しします。',
    description: () =>
      [
        '届出の際に保健師などが面談し、妊娠・出産・子育ての相談に応じます。',
        '妊婦健康診査の費用の一部を助成する受診票（14回分）をお渡しします。',
      ].join('\n\n'),
    requiredDocuments: ['妊娠届出書', '本人確認書類'],
  },
  {
    slug: 'ninpu-shien-kyufu',
    category: 'boshi-hoken',
    title: '妊婦のための支援給付',
    titleEn: 'Support benefit for pregnant women',
    readings: ['にんぷしえんきゅうふ', 'しゅっさん', 'にんしん', 'おうえん'],
    summary: '妊娠届出後に5万円、出産後に子どもの数×5万円を給付します。面談とあわせて申請してください。',
    description: () =>
      [
        '令和7年4月から、妊婦のための支援給付として制度化されました。',
        '1回目は妊娠の届出後の面談のあとに5万円、2回目は出産後の面談のあとに妊娠していた子どもの数×5万円を給付します。',
      ].join('\n\n'),
    requiredDocuments: ['申請書', '振込先口座が確認できるもの'],
  },
  {
    slug: 'nyuyouji-kenshin',
    category: 'boshi-hoken',
    title: '乳幼児健康診査',
    titleEn: 'Health check-ups for infants and young children',
    readings: ['にゅうようじけんしん', 'けんしん', 'さんさいじけんしん', 'いっさいろっかげつ'],
    summary: '3〜4か月児・1歳6か月児・3歳児の健康診査を行います。対象の方には個別にお知らせします。',
    description: () =>
      [
        '身体計測・診察・歯科健診・育児相談などを行います。',
        '対象月齢になる前に案内をお送りします。母子健康手帳をお持ちください。',
      ].join('\n\n'),
    requiredDocuments: ['母子健康手帳', '問診票'],
  },
  {
    slug: 'shinseiji-houmon',
    category: 'boshi-hoken',
    title: '新生児訪問・乳児家庭全戸訪問',
    titleEn: 'Home visits to newborns and infants',
    readings: ['しんせいじほうもん', 'こんにちはあかちゃん', 'ほけんし', 'じょさんし'],
    summary: '生後4か月までの乳児のいる全ての家庭を、保健師・助産師などが訪問します。',
    description: () =>
      [
        '赤ちゃんの体重測定や発育の確認、育児の相談、子育て支援の情報提供を行います。',
        '出生通知書（母子健康手帳についているはがき）を提出してください。',
      ].join('\n\n'),
    requiredDocuments: ['出生通知書'],
  },
];

function phoneFor(m: MunicipalityEntry, category: CategoryKey): string {
  const local = String(1100 + CATEGORY_KEYS.indexOf(category) * 100 + MUNICIPALITIES.indexOf(m));
  // The exchange part is all zeros: never assigned, so never a real number.
  return m.areaCode.length === 2 ? `${m.areaCode}-0000-${local}` : `${m.areaCode}-000-${local}`;
}

function buildCatalog(): KosodateService[] {
  const out: KosodateService[] = [];
  for (const m of MUNICIPALITIES) {
    for (const category of CATEGORY_KEYS) {
      const cat = CATEGORIES.find((c) => c.key === category)!;
      for (const t of TEMPLATES) {
        if (t.category !== category) continue;
        const online = t.procedureId !== undefined && m.online.includes(t.procedureId);
        const service: KosodateService = {
          id: `${m.code}-${t.slug}`,
          municipalityCode: m.code,
          municipalityName: m.name,
          category,
          title: t.title,
          titleEn: t.titleEn,
          summary: t.summary,
          description: t.description(m, online),
          requiredDocuments: [...t.requiredDocuments],
          contact: { counter: `${m.office} ${COUNTERS[category]}`, phone: phoneFor(m, category), hours: HOURS },
          readings: [...new Set([...t.readings, ...cat.readings, m.nameKana])],
        };
        if (online && t.procedureId) service.onlineApplication = { procedureId: t.procedureId };
        out.push(deepFreeze(service));
      }
    }
  }
  return out;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

export const MUNICIPALITY_LIST: readonly Municipality[] = MUNICIPALITIES.map((m) =>
  deepFreeze({ code: m.code, prefecture: m.prefecture, name: m.name, nameKana: m.nameKana, nameEn: m.nameEn }),
);

/** Every service, in catalog order (municipality code, category, template). Frozen. */
export const SERVICES: readonly KosodateService[] = Object.freeze(buildCatalog());

const BY_ID = new Map(SERVICES.map((s) => [s.id, s]));

export function getService(id: string): KosodateService | undefined {
  return BY_ID.get(id);
}

export function getMunicipality(code: string): Municipality | undefined {
  return MUNICIPALITY_LIST.find((m) => m.code === code);
}

export function categoryLabel(key: CategoryKey): { ja: string; en: string } {
  const c = CATEGORIES.find((x) => x.key === key)!;
  return { ja: c.ja, en: c.en };
}

/** The service through which a municipality takes a procedure online, if it does. */
export function onlineService(municipalityCode: string, procedureId: string): KosodateService | undefined {
  return SERVICES.find(
    (s) => s.municipalityCode === municipalityCode && s.onlineApplication?.procedureId === procedureId,
  );
}
