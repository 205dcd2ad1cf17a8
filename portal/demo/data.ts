/**
 * The demo dataset — ALL FICTIONAL, like the demo residents of resources/demo. Municipality
 * codes are the real 全国地方公共団体コード of real cities (check digits valid); the people,
 * records, amounts and numbers are invented. Deterministic: no clock, no randomness (the few
 * varying offsets come from a seeded generator), so two seeds produce identical databases.
 *
 * Dates are written in Japan time and stored as UTC instants.
 */

export interface MunicipalitySeed {
  code: string;
  prefecture: string;
  name: string;
  nameKana: string;
}

export const MUNICIPALITIES: MunicipalitySeed[] = [
  { code: '011002', prefecture: '北海道', name: '札幌市', nameKana: 'さっぽろし' },
  { code: '111007', prefecture: '埼玉県', name: 'さいたま市', nameKana: 'さいたまし' },
  { code: '122033', prefecture: '千葉県', name: '市川市', nameKana: 'いちかわし' },
  { code: '131016', prefecture: '東京都', name: '千代田区', nameKana: 'ちよだく' },
  { code: '131130', prefecture: '東京都', name: '渋谷区', nameKana: 'しぶやく' },
  { code: '141003', prefecture: '神奈川県', name: '横浜市', nameKana: 'よこはまし' },
  { code: '231002', prefecture: '愛知県', name: '名古屋市', nameKana: 'なごやし' },
  { code: '261009', prefecture: '京都府', name: '京都市', nameKana: 'きょうとし' },
  { code: '271004', prefecture: '大阪府', name: '大阪市', nameKana: 'おおさかし' },
  { code: '401307', prefecture: '福岡県', name: '福岡市', nameKana: 'ふくおかし' },
];

export type AgencyKind = 'municipality' | 'prefecture' | 'national' | 'insurer' | 'other';

export const AGENCIES: { id: string; name: string; kind: AgencyKind; municipality?: string }[] = [
  ...MUNICIPALITIES.map((m) => ({
    id: `muni-${m.code}`,
    name: `${m.prefecture}${m.name}`,
    kind: 'municipality' as const,
    municipality: m.code,
  })),
  { id: 'pref-13', name: '東京都', kind: 'prefecture' },
  { id: 'jp-pension', name: '日本年金機構', kind: 'national' },
  { id: 'mhlw', name: '厚生労働大臣', kind: 'national' },
  { id: 'kyoukai-kenpo', name: '全国健康保険協会', kind: 'insurer' },
  { id: 'mihon-kenpo', name: '見本商事健康保険組合', kind: 'insurer' },
  { id: 'kouki-hokkaido', name: '北海道後期高齢者医療広域連合', kind: 'insurer' },
  { id: 'jasso', name: '独立行政法人日本学生支援機構', kind: 'other' },
];

export const AFFAIRS: { id: string; name: string }[] = [
  { id: 'child-allowance', name: '児童手当法による児童手当又は特例給付の支給に関する事務' },
  { id: 'child-rearing-allowance', name: '児童扶養手当法による児童扶養手当の支給に関する事務' },
  { id: 'childcare-benefit', name: '子ども・子育て支援法による子どものための教育・保育給付の支給に関する事務' },
  { id: 'vaccination', name: '予防接種法による予防接種の実施に関する事務' },
  { id: 'maternal-health', name: '母子保健法による保健指導又は健康診査に関する事務' },
  { id: 'health-insurance', name: '健康保険法による保険給付の支給に関する事務' },
  { id: 'national-health-insurance', name: '国民健康保険法による保険給付の支給又は保険料の徴収に関する事務' },
  { id: 'late-elderly-medical', name: '高齢者の医療の確保に関する法律による後期高齢者医療給付の支給に関する事務' },
  { id: 'national-pension', name: '国民年金法による年金である給付の支給又は保険料の免除に関する事務' },
  { id: 'long-term-care', name: '介護保険法による保険給付の支給又は保険料の徴収に関する事務' },
  { id: 'employment-insurance', name: '雇用保険法による失業等給付の支給に関する事務' },
  { id: 'student-loan', name: '独立行政法人日本学生支援機構法による学資の貸与に関する事務' },
  { id: 'public-assistance', name: '生活保護法による保護の決定及び実施に関する事務' },
  {
    id: 'disability-welfare',
    name: '障害者の日常生活及び社会生活を総合的に支援するための法律による自立支援給付の支給に関する事務',
  },
  { id: 'local-tax', name: '地方税法その他の地方税に関する法律による地方税の賦課徴収に関する事務' },
];

export interface ResidentSeed {
  id: string;
  displayName: string;
  municipality: string;
  email: string | null;
  loginNotification: boolean;
}

/** The demo residents of resources/demo (their cards are in resources/demo/cards/<id>.json). */
export const RESIDENTS: ResidentSeed[] = [
  {
    id: 'resident-01',
    displayName: '見本　花子',
    municipality: '131016',
    email: 'hanako.mihon@example.jp',
    loginNotification: true,
  },
  {
    id: 'resident-02',
    displayName: '試験　太郎',
    municipality: '141003',
    email: 'taro.shiken@example.jp',
    loginNotification: false,
  },
  { id: 'resident-03', displayName: '架空　一郎', municipality: '271004', email: null, loginNotification: false },
  { id: 'resident-04', displayName: '例題　トメ', municipality: '011002', email: null, loginNotification: false },
  {
    id: 'resident-05',
    displayName: '検証　翔太',
    municipality: '401307',
    email: 'shota.kensho@example.jp',
    loginNotification: false,
  },
  { id: 'resident-06', displayName: '髙﨑　𠮷野', municipality: '261009', email: null, loginNotification: false },
];

// ------------------------------------------------------------------------------------------
// やりとり履歴

export type ExchangeStatus = 'provided' | 'requesting' | 'not-provided' | 'cancelled';

export interface ExchangeSeed {
  /** Japan time 'YYYY-MM-DD HH:mm'. */
  requestedAt: string;
  status: ExchangeStatus;
  requester: string;
  department: string;
  provider: string;
  affairs: string;
  procedure: string;
  information: string;
  undisclosed?: boolean;
  article?: string;
}

interface Template {
  requester: string;
  department: string;
  provider: string;
  affairs: string;
  procedure: string;
  information: string;
}

const T = {
  childAllowance: {
    requester: 'muni-131016',
    department: '子ども部 子ども支援課',
    provider: 'jp-pension',
    affairs: 'child-allowance',
    procedure: '児童手当 現況の確認',
    information: '年金給付関係情報',
  },
  childAllowanceTax: {
    requester: 'muni-131016',
    department: '子ども部 子ども支援課',
    provider: 'muni-141003',
    affairs: 'child-allowance',
    procedure: '児童手当 認定請求',
    information: '地方税関係情報',
  },
  childRearing: {
    requester: 'muni-131016',
    department: '子ども部 子ども支援課',
    provider: 'muni-141003',
    affairs: 'child-rearing-allowance',
    procedure: '児童扶養手当 現況届',
    information: '地方税関係情報',
  },
  childcare: {
    requester: 'muni-131016',
    department: '子ども部 子ども施設課',
    provider: 'muni-141003',
    affairs: 'childcare-benefit',
    procedure: '教育・保育給付認定の申請',
    information: '地方税関係情報',
  },
  vaccination: {
    requester: 'muni-131016',
    department: '保健福祉部 健康推進課',
    provider: 'muni-141003',
    affairs: 'vaccination',
    procedure: '予防接種履歴の確認（転入者）',
    information: '予防接種法による予防接種の実施に関する情報',
  },
  kenpo: {
    requester: 'mihon-kenpo',
    department: '適用・給付グループ',
    provider: 'muni-131016',
    affairs: 'health-insurance',
    procedure: '被扶養者の認定',
    information: '地方税関係情報',
  },
  kenpoKogaku: {
    requester: 'mihon-kenpo',
    department: '適用・給付グループ',
    provider: 'muni-131016',
    affairs: 'health-insurance',
    procedure: '高額療養費の支給',
    information: '地方税関係情報',
  },
  taxProbe: {
    requester: 'muni-131016',
    department: '地域振興部 税務課',
    provider: 'jp-pension',
    affairs: 'local-tax',
    procedure: '地方税の賦課徴収',
    information: '年金給付関係情報',
  },
} satisfies Record<string, Template>;

const row = (
  requestedAt: string,
  t: Template,
  status: ExchangeStatus = 'provided',
  extra: Partial<ExchangeSeed> = {},
): ExchangeSeed => ({ requestedAt, status, ...t, ...extra });

/** resident-01 (千代田区, single parent, one child born 2019; moved from 横浜市 in 2021): enough rows for paging. */
function resident01Exchanges(): ExchangeSeed[] {
  const out: ExchangeSeed[] = [];
  for (let y = 2020; y <= 2026; y++) {
    out.push(row(`${y}-06-0${(y % 5) + 2} 09:${10 + (y % 7)}`, T.childAllowance));
    out.push(row(`${y}-08-${10 + (y % 9)} 10:${20 + (y % 5)}`, T.childRearing));
    if (y % 2 === 0) out.push(row(`${y}-04-1${y % 9} 13:05`, T.kenpo));
    if (y >= 2022) out.push(row(`${y}-11-0${(y % 7) + 1} 15:42`, T.kenpoKogaku));
  }
  out.push(row('2021-04-12 11:02', T.childAllowanceTax));
  out.push(row('2021-04-12 11:03', T.childcare));
  out.push(row('2021-04-15 14:30', T.vaccination));
  out.push(row('2022-03-02 10:11', T.vaccination, 'not-provided'));
  out.push(row('2022-03-04 09:48', T.childcare, 'cancelled'));
  out.push(row('2023-02-20 16:20', T.taxProbe, 'provided', { undisclosed: true, article: '該当（第2号）' }));
  out.push(row('2025-09-09 10:00', T.taxProbe, 'provided', { undisclosed: true, article: '該当（第2号）' }));
  out.push(row('2026-11-25 09:30', T.childcare, 'requesting'));
  return out;
}

export const EXCHANGES: Record<string, ExchangeSeed[]> = {
  'resident-01': resident01Exchanges(),
  'resident-02': [
    row('2021-05-10 10:15', {
      requester: 'jasso',
      department: '奨学事業本部 返還部',
      provider: 'muni-271004',
      affairs: 'student-loan',
      procedure: '返還期限猶予の審査',
      information: '地方税関係情報',
    }),
    row('2024-03-18 13:40', {
      requester: 'mhlw',
      department: '公共職業安定所（ハローワーク横浜）',
      provider: 'muni-141003',
      affairs: 'employment-insurance',
      procedure: '基本手当の受給資格の決定',
      information: '住民票関係情報',
    }),
    row('2025-11-20 09:05', {
      requester: 'muni-141003',
      department: '中区役所 保険年金課',
      provider: 'muni-271004',
      affairs: 'national-health-insurance',
      procedure: '国民健康保険 資格取得（転入）',
      information: '地方税関係情報',
    }),
    row(
      '2025-11-20 09:06',
      {
        requester: 'muni-141003',
        department: '中区役所 保険年金課',
        provider: 'jp-pension',
        affairs: 'national-health-insurance',
        procedure: '国民健康保険料の算定',
        information: '年金給付関係情報',
      },
      'not-provided',
    ),
    row(
      '2026-02-03 11:11',
      {
        requester: 'muni-141003',
        department: '財政局 主税部',
        provider: 'jp-pension',
        affairs: 'local-tax',
        procedure: '地方税の賦課徴収',
        information: '年金給付関係情報',
      },
      'provided',
      { undisclosed: true, article: '該当（第1号）' },
    ),
    row(
      '2026-11-26 10:00',
      {
        requester: 'kyoukai-kenpo',
        department: '神奈川支部 業務グループ',
        provider: 'muni-141003',
        affairs: 'health-insurance',
        procedure: '被扶養者の認定',
        information: '地方税関係情報',
      },
      'requesting',
    ),
  ],
  'resident-03': [
    row('2023-06-12 10:20', {
      requester: 'muni-271004',
      department: '北区役所 保険年金課',
      provider: 'jp-pension',
      affairs: 'national-health-insurance',
      procedure: '国民健康保険料の算定',
      information: '年金給付関係情報',
    }),
    row('2024-06-11 10:25', {
      requester: 'muni-271004',
      department: '北区役所 保険年金課',
      provider: 'jp-pension',
      affairs: 'national-health-insurance',
      procedure: '国民健康保険料の算定',
      information: '年金給付関係情報',
    }),
    row('2025-01-22 14:00', {
      requester: 'jp-pension',
      department: '年金給付事業部',
      provider: 'muni-271004',
      affairs: 'national-pension',
      procedure: '保険料免除の審査',
      information: '地方税関係情報',
    }),
  ],
  'resident-04': [
    row('2023-07-03 09:00', {
      requester: 'muni-011002',
      department: '保健福祉局 介護保険課',
      provider: 'jp-pension',
      affairs: 'long-term-care',
      procedure: '介護保険料の算定（年金からの特別徴収）',
      information: '年金給付関係情報',
    }),
    row('2024-07-02 09:00', {
      requester: 'muni-011002',
      department: '保健福祉局 介護保険課',
      provider: 'jp-pension',
      affairs: 'long-term-care',
      procedure: '介護保険料の算定（年金からの特別徴収）',
      information: '年金給付関係情報',
    }),
    row('2024-08-19 13:30', {
      requester: 'kouki-hokkaido',
      department: '業務課',
      provider: 'muni-011002',
      affairs: 'late-elderly-medical',
      procedure: '高額療養費の支給',
      information: '地方税関係情報',
    }),
    row('2025-07-01 09:00', {
      requester: 'muni-011002',
      department: '保健福祉局 介護保険課',
      provider: 'jp-pension',
      affairs: 'long-term-care',
      procedure: '介護保険料の算定（年金からの特別徴収）',
      information: '年金給付関係情報',
    }),
    row('2026-07-01 09:00', {
      requester: 'muni-011002',
      department: '保健福祉局 介護保険課',
      provider: 'jp-pension',
      affairs: 'long-term-care',
      procedure: '介護保険料の算定（年金からの特別徴収）',
      information: '年金給付関係情報',
    }),
  ],
  'resident-05': [
    row('2020-04-20 10:00', {
      requester: 'jasso',
      department: '奨学事業本部 奨学金事業部',
      provider: 'muni-401307',
      affairs: 'student-loan',
      procedure: '給付奨学金の家計基準の確認',
      information: '地方税関係情報',
    }),
    row('2021-10-04 10:00', {
      requester: 'jasso',
      department: '奨学事業本部 奨学金事業部',
      provider: 'muni-401307',
      affairs: 'student-loan',
      procedure: '支援区分の見直し',
      information: '地方税関係情報',
    }),
    row('2021-08-23 15:10', {
      requester: 'jp-pension',
      department: '年金給付事業部',
      provider: 'muni-401307',
      affairs: 'national-pension',
      procedure: '学生納付特例の審査',
      information: '地方税関係情報',
    }),
    row('2026-04-13 11:45', {
      requester: 'muni-401307',
      department: '博多区役所 保険年金課',
      provider: 'muni-401307',
      affairs: 'national-health-insurance',
      procedure: '国民健康保険料の算定',
      information: '地方税関係情報',
    }),
  ],
  'resident-06': [
    row('2022-09-14 10:30', {
      requester: 'muni-261009',
      department: '東山区役所 保健福祉センター 障害保健福祉課',
      provider: 'jp-pension',
      affairs: 'disability-welfare',
      procedure: '自立支援医療（精神通院医療）の支給認定',
      information: '年金給付関係情報',
    }),
    row('2024-02-06 14:00', {
      requester: 'muni-261009',
      department: '東山区役所 保健福祉センター 生活福祉課',
      provider: 'jp-pension',
      affairs: 'public-assistance',
      procedure: '保護の決定（収入の認定）',
      information: '年金給付関係情報',
    }),
    row(
      '2025-02-05 14:00',
      {
        requester: 'muni-261009',
        department: '東山区役所 保健福祉センター 生活福祉課',
        provider: 'jp-pension',
        affairs: 'public-assistance',
        procedure: '保護の実施（収入の認定）',
        information: '年金給付関係情報',
      },
      'provided',
      { undisclosed: true, article: '該当（第3号）' },
    ),
  ],
};

// ------------------------------------------------------------------------------------------
// 自己情報

export interface SelfInfoSeed {
  category: string;
  title: string;
  provider: string | null;
  asOf: string;
  items: [string, string][];
}

const si = (category: string, title: string, provider: string | null, asOf: string, items: [string, string][]) => ({
  category,
  title,
  provider,
  asOf,
  items,
});

export const SELF_INFO: Record<string, SelfInfoSeed[]> = {
  'resident-01': [
    si('health-insurance', '健康保険 資格情報', 'mihon-kenpo', '2026-04-01', [
      ['保険者名', '見本商事健康保険組合'],
      ['被保険者区分', '被保険者（本人）'],
      ['資格取得年月日', '2012-04-01'],
      ['被扶養者', '1人（子）'],
    ]),
    si('medical-treatment', '診療・薬剤情報（令和8年9月診療分）', 'mihon-kenpo', '2026-10-31', [
      ['医療機関', '見本町クリニック（内科）'],
      ['診療年月', '2026-09'],
      ['処方薬', 'アセトアミノフェン錠200mg 6錠'],
      ['調剤薬局', 'みほん薬局'],
    ]),
    si('medical-expenses', '医療費通知情報（令和8年1月〜9月）', 'mihon-kenpo', '2026-10-31', [
      ['医療費の総額', '48,230円'],
      ['窓口負担相当額', '14,469円'],
      ['受診件数', '7件'],
    ]),
    si('vaccination', '予防接種履歴（子）麻しん風しん 第2期', 'muni-131016', '2025-05-20', [
      ['対象者', '子（2019年生）'],
      ['ワクチン', '麻しん風しん混合（MR）'],
      ['接種日', '2025-05-20'],
      ['接種場所', '千代田区内 指定医療機関'],
    ]),
    si('vaccination', '予防接種履歴（子）日本脳炎 第1期追加', 'muni-131016', '2024-06-11', [
      ['対象者', '子（2019年生）'],
      ['ワクチン', '日本脳炎'],
      ['接種日', '2024-06-11'],
    ]),
    si('vaccination', '予防接種履歴（子）四種混合 第1期', 'muni-141003', '2020-03-04', [
      ['対象者', '子（2019年生）'],
      ['ワクチン', '四種混合（DPT-IPV）'],
      ['接種日', '2019-10-02 / 2019-11-06 / 2019-12-04 / 2020-03-04'],
    ]),
    si('health-checkup', '特定健診結果（令和8年度）', 'mihon-kenpo', '2026-07-15', [
      ['受診日', '2026-06-18'],
      ['BMI', '21.4'],
      ['血圧', '118/74 mmHg'],
      ['HbA1c', '5.3%'],
      ['判定', '異常なし'],
    ]),
    si('cancer-screening', '子宮頸がん検診', 'muni-131016', '2025-10-08', [
      ['受診日', '2025-10-08'],
      ['結果', '精密検査不要'],
    ]),
    si('tax-income', '令和8年度 特別区民税・都民税 課税情報', 'muni-131016', '2026-06-10', [
      ['課税区分', '課税'],
      ['総所得金額', '3,120,000円'],
      ['所得割額', '171,600円'],
      ['均等割額', '5,000円'],
      ['徴収方法', '普通徴収'],
    ]),
    si('tax-income', '令和7年度 特別区民税・都民税 課税情報', 'muni-131016', '2025-06-10', [
      ['課税区分', '課税'],
      ['総所得金額', '3,040,000円'],
      ['所得割額', '163,500円'],
    ]),
    si('public-benefit-account', '公金受取口座', null, '2023-03-01', [
      ['金融機関', 'みほん銀行'],
      ['支店', '千代田支店'],
      ['口座種別', '普通'],
      ['口座番号', '*****67'],
      ['口座名義', 'ミホン ハナコ'],
    ]),
    si('pension', '年金加入記録', 'jp-pension', '2026-06-01', [
      ['基礎年金番号', '****-***321'],
      ['加入制度', '厚生年金保険'],
      ['加入月数', '170月'],
      ['これまでの保険料納付額', '5,210,400円'],
    ]),
    si('child-allowance', '児童手当 受給状況', 'muni-131016', '2026-10-10', [
      ['受給者', '見本　花子'],
      ['支給対象児童', '1人'],
      ['月額', '10,000円'],
      ['直近の支払', '2026-10-10（8月・9月分）'],
    ]),
    si('single-parent', '児童扶養手当 認定情報', 'muni-131016', '2026-08-31', [
      ['認定状況', '認定（一部支給）'],
      ['手当月額', '31,220円'],
      ['現況届', '2026-08-15 提出済み'],
    ]),
    si('maternal-child-health', '乳幼児健康診査（3歳児健診）', 'muni-131016', '2022-11-09', [
      ['対象者', '子（2019年生）'],
      ['受診日', '2022-11-09'],
      ['結果', '異常なし'],
    ]),
    si('education-support', '就学援助 認定情報（令和8年度）', 'muni-131016', '2026-04-01', [
      ['対象者', '子（小学1年）'],
      ['認定区分', '準要保護'],
      ['援助内容', '学用品費・給食費'],
    ]),
    si('household', '世帯情報', 'muni-131016', '2026-11-01', [
      ['世帯主', '見本　花子'],
      ['世帯員数', '2人'],
      ['続柄', '本人 / 子'],
      ['住所を定めた日', '2021-04-01'],
    ]),
    si('long-term-care', '介護保険 資格情報', 'muni-131016', '2025-06-15', [
      ['被保険者区分', '第2号被保険者（医療保険加入者）'],
      ['資格取得日', '2025-06-15（40歳到達）'],
    ]),
    si('employment-insurance', '雇用保険 被保険者資格', 'mhlw', '2026-04-01', [
      ['事業所', '見本商事株式会社'],
      ['資格取得年月日', '2012-04-01'],
      ['被保険者種類', '一般被保険者'],
    ]),
  ],
  'resident-02': [
    si('tax-income', '令和8年度 市民税・県民税 課税情報', 'muni-141003', '2026-06-10', [
      ['課税区分', '課税'],
      ['総所得金額', '2,480,000円'],
      ['1月1日時点の住所地', '大阪府大阪市'],
    ]),
    si('health-insurance', '国民健康保険 資格情報', 'muni-141003', '2025-11-20', [
      ['保険者名', '横浜市'],
      ['資格取得年月日', '2025-11-15'],
    ]),
    si('employment-insurance', '雇用保険 受給資格', 'mhlw', '2024-03-18', [
      ['受給資格決定日', '2024-03-18'],
      ['所定給付日数', '90日'],
    ]),
    si('education-support', '奨学金 返還情報', 'jasso', '2021-05-10', [
      ['奨学金の種類', '第一種奨学金'],
      ['返還状況', '返還期限猶予（2021-05〜2022-04）'],
    ]),
    si('public-benefit-account', '公金受取口座', null, '2022-07-01', [
      ['金融機関', 'しけん信用金庫'],
      ['口座種別', '普通'],
      ['口座番号', '*****01'],
    ]),
    si('household', '世帯情報', 'muni-141003', '2025-11-20', [
      ['世帯主', '試験　太郎'],
      ['世帯員数', '1人'],
      ['住所を定めた日', '2025-11-15'],
    ]),
  ],
  'resident-03': [
    si('tax-income', '令和8年度 市民税・府民税 課税情報', 'muni-271004', '2026-06-10', [
      ['課税区分', '課税'],
      ['総所得金額', '4,100,000円'],
    ]),
    si('health-insurance', '国民健康保険 資格情報', 'muni-271004', '2023-04-01', [
      ['保険者名', '大阪市'],
      ['資格取得年月日', '2023-04-01'],
    ]),
    si('pension', '年金加入記録', 'jp-pension', '2025-04-01', [
      ['加入制度', '国民年金（第1号）'],
      ['保険料免除', '半額免除（2025年度）'],
    ]),
    si('long-term-care', '介護保険 資格情報', 'muni-271004', '2010-04-01', [['被保険者区分', '第2号被保険者']]),
    si('household', '世帯情報', 'muni-271004', '2023-04-01', [
      ['世帯主', '架空　一郎'],
      ['世帯員数', '1人'],
    ]),
  ],
  'resident-04': [
    si('health-insurance', '後期高齢者医療 資格情報', 'kouki-hokkaido', '2026-08-01', [
      ['保険者名', '北海道後期高齢者医療広域連合'],
      ['一部負担金の割合', '1割'],
    ]),
    si('medical-expenses', '医療費通知情報（令和8年1月〜9月）', 'kouki-hokkaido', '2026-10-31', [
      ['医療費の総額', '612,400円'],
      ['窓口負担相当額', '61,240円'],
    ]),
    si('health-checkup', '後期高齢者健診結果（令和7年度）', 'kouki-hokkaido', '2025-10-20', [
      ['受診日', '2025-09-30'],
      ['判定', '要経過観察（血圧）'],
    ]),
    si('vaccination', '高齢者インフルエンザ予防接種', 'muni-011002', '2025-11-12', [['接種日', '2025-11-12']]),
    si('pension', '年金受給情報', 'jp-pension', '2026-10-15', [
      ['年金の種類', '老齢基礎年金・遺族厚生年金'],
      ['支払額（2か月分）', '214,800円'],
    ]),
    si('long-term-care', '要介護認定情報', 'muni-011002', '2026-03-01', [
      ['要介護状態区分', '要介護1'],
      ['認定有効期間', '2026-03-01〜2027-02-28'],
      ['介護保険料の段階', '第4段階'],
    ]),
    si('tax-income', '令和8年度 市民税・道民税 課税情報', 'muni-011002', '2026-06-10', [['課税区分', '非課税']]),
    si('household', '世帯情報', 'muni-011002', '2026-11-01', [
      ['世帯主', '例題　トメ'],
      ['世帯員数', '1人'],
    ]),
  ],
  'resident-05': [
    si('education-support', '給付奨学金 支援区分', 'jasso', '2021-10-04', [
      ['支援区分', '第Ⅱ区分'],
      ['支給期間', '2020-04〜2024-03'],
    ]),
    si('pension', '国民年金 学生納付特例', 'jp-pension', '2021-08-23', [
      ['承認期間', '2021-04〜2022-03'],
      ['追納可能期限', '2031-03'],
    ]),
    si('tax-income', '令和8年度 市民税・県民税 課税情報', 'muni-401307', '2026-06-10', [
      ['課税区分', '課税'],
      ['総所得金額', '2,010,000円'],
    ]),
    si('health-insurance', '国民健康保険 資格情報', 'muni-401307', '2024-04-01', [['保険者名', '福岡市']]),
    si('household', '世帯情報', 'muni-401307', '2024-04-01', [
      ['世帯主', '検証　翔太'],
      ['世帯員数', '1人'],
    ]),
  ],
  'resident-06': [
    si('disability-welfare', '自立支援医療（精神通院医療）受給者証情報', 'muni-261009', '2025-10-01', [
      ['有効期間', '2025-10-01〜2026-09-30'],
      ['負担上限月額', '2,500円'],
    ]),
    si('public-assistance', '生活保護 決定情報', 'muni-261009', '2024-02-20', [
      ['保護の種類', '生活扶助・住宅扶助・医療扶助'],
      ['開始日', '2024-02-20'],
    ]),
    si('household', '世帯情報', 'muni-261009', '2024-02-01', [
      ['世帯主', '髙﨑　𠮷野'],
      ['世帯員数', '1人'],
    ]),
    si('cancer-screening', '胃がん検診', 'muni-261009', '2026-05-14', [
      ['受診日', '2026-05-14'],
      ['結果', '異常なし'],
    ]),
  ],
};

// ------------------------------------------------------------------------------------------
// お知らせ

export type NoticeKind =
  | 'vaccination'
  | 'health-checkup'
  | 'tax'
  | 'child'
  | 'pension'
  | 'insurance'
  | 'welfare'
  | 'general';

export interface NoticeSeed {
  key: string;
  kind: NoticeKind;
  title: string;
  body: string;
  sender: string;
  department: string;
  /** Japan time 'YYYY-MM-DD HH:mm'. */
  publishedAt: string;
  readAt?: string;
  payment?: { amount: number; dueDate: string; payee: string; collector: string };
  /** Seeded as already paid by Pay-easy at this Japan time. */
  paidAt?: string;
}

export const NOTICES: Record<string, NoticeSeed[]> = {
  'resident-01': [
    {
      key: 'r01-juminzei-4',
      kind: 'tax',
      title: '令和8年度 特別区民税・都民税（普通徴収）第4期分 納付のお知らせ',
      body: '令和8年度 特別区民税・都民税 第4期分の納期限は令和9年2月1日です。公金決済サービス（Pay-easy またはクレジットカード）で納付できます。',
      sender: 'muni-131016',
      department: '地域振興部 税務課',
      publishedAt: '2026-11-20 09:00',
      payment: { amount: 44_150, dueDate: '2027-02-01', payee: '東京都千代田区', collector: '13101' },
    },
    {
      key: 'r01-gakudo-12',
      kind: 'child',
      title: '学童クラブ育成料（令和8年12月分）のお知らせ',
      body: '令和8年12月分の学童クラブ育成料をお知らせします。納期限までに納付してください。',
      sender: 'muni-131016',
      department: '子ども部 児童・家庭支援センター',
      publishedAt: '2026-11-25 10:00',
      payment: { amount: 6_000, dueDate: '2026-12-28', payee: '東京都千代田区', collector: '13101' },
    },
    {
      key: 'r01-juminzei-3',
      kind: 'tax',
      title: '令和8年度 特別区民税・都民税（普通徴収）第3期分 納付のお知らせ',
      body: '令和8年度 特別区民税・都民税 第3期分の納期限は令和8年11月2日です。',
      sender: 'muni-131016',
      department: '地域振興部 税務課',
      publishedAt: '2026-10-15 09:00',
      readAt: '2026-10-20 21:14',
      payment: { amount: 44_150, dueDate: '2026-11-02', payee: '東京都千代田区', collector: '13101' },
      paidAt: '2026-10-20 21:16',
    },
    {
      key: 'r01-influenza',
      kind: 'vaccination',
      title: 'お子さまのインフルエンザ予防接種費用助成のご案内',
      body: '千代田区では、13歳未満のお子さまのインフルエンザ予防接種費用を助成しています。区内指定医療機関で接種してください（令和9年1月31日まで）。',
      sender: 'muni-131016',
      department: '保健福祉部 健康推進課',
      publishedAt: '2026-10-01 09:00',
    },
    {
      key: 'r01-kenshin',
      kind: 'health-checkup',
      title: '区民健康診査・がん検診のご案内（令和8年度）',
      body: '今年度の区民健康診査・がん検診の受診券をお送りしました。受診期限は令和9年2月28日です。',
      sender: 'muni-131016',
      department: '保健福祉部 健康推進課',
      publishedAt: '2026-05-20 09:00',
      readAt: '2026-05-21 07:45',
    },
    {
      key: 'r01-jidouteate',
      kind: 'child',
      title: '児童手当 支給のお知らせ（令和8年10月支払分）',
      body: '令和8年8月分・9月分の児童手当 20,000円を令和8年10月10日に公金受取口座へお支払いしました。',
      sender: 'muni-131016',
      department: '子ども部 子ども支援課',
      publishedAt: '2026-10-10 09:00',
      readAt: '2026-10-11 08:02',
    },
    {
      key: 'r01-nenkin',
      kind: 'pension',
      title: 'ねんきん定期便（令和8年度）',
      body: 'これまでの年金加入期間と保険料納付額、老齢年金の見込額をお知らせします。',
      sender: 'jp-pension',
      department: '',
      publishedAt: '2026-06-01 09:00',
      readAt: '2026-06-03 22:30',
    },
  ],
  'resident-02': [
    {
      key: 'r02-keijidousha',
      kind: 'tax',
      title: '軽自動車税（種別割）納付のお知らせ',
      body: '令和8年度 軽自動車税（種別割）の納付をお願いします。',
      sender: 'muni-141003',
      department: '財政局 主税部',
      publishedAt: '2026-11-10 09:00',
      payment: { amount: 10_800, dueDate: '2026-12-31', payee: '神奈川県横浜市', collector: '14100' },
    },
    {
      key: 'r02-kokuho',
      kind: 'insurance',
      title: '国民健康保険料 納入通知（第7期）',
      body: '国民健康保険料 第7期分の納入をお願いします。',
      sender: 'muni-141003',
      department: '中区役所 保険年金課',
      publishedAt: '2026-11-15 09:00',
      payment: { amount: 18_900, dueDate: '2026-12-31', payee: '神奈川県横浜市', collector: '14100' },
    },
    {
      key: 'r02-cert',
      kind: 'general',
      title: '署名用電子証明書の失効について',
      body: '住所の変更に伴い、署名用電子証明書が失効しました。電子申請には、お住まいの区役所で署名用電子証明書の再発行を受けてください。',
      sender: 'muni-141003',
      department: '中区役所 戸籍課',
      publishedAt: '2025-11-15 12:00',
      readAt: '2025-11-16 10:00',
    },
  ],
  'resident-03': [
    {
      key: 'r03-kokuho',
      kind: 'insurance',
      title: '国民健康保険料 納入通知（第6期）',
      body: '国民健康保険料 第6期分の納入をお願いします。',
      sender: 'muni-271004',
      department: '北区役所 保険年金課',
      publishedAt: '2026-11-01 09:00',
      payment: { amount: 28_700, dueDate: '2026-12-28', payee: '大阪府大阪市', collector: '27100' },
    },
    {
      key: 'r03-cert',
      kind: 'general',
      title: '電子証明書の有効期限が切れています',
      body: '利用者証明用・署名用電子証明書の有効期限（2025年7月31日）が過ぎています。区役所で更新手続きをしてください。',
      sender: 'muni-271004',
      department: '北区役所 住民情報課',
      publishedAt: '2025-05-01 09:00',
    },
  ],
  'resident-04': [
    {
      key: 'r04-kaigo',
      kind: 'insurance',
      title: '介護保険料 納入通知書（普通徴収 第8期）',
      body: '介護保険料 第8期分の納付をお願いします。',
      sender: 'muni-011002',
      department: '保健福祉局 介護保険課',
      publishedAt: '2026-11-05 09:00',
      payment: { amount: 6_200, dueDate: '2026-11-30', payee: '北海道札幌市', collector: '01100' },
    },
    {
      key: 'r04-kenshin',
      kind: 'health-checkup',
      title: '後期高齢者健康診査のご案内',
      body: '今年度の後期高齢者健康診査を無料で受診できます。',
      sender: 'kouki-hokkaido',
      department: '業務課',
      publishedAt: '2026-05-10 09:00',
    },
    {
      key: 'r04-influenza',
      kind: 'vaccination',
      title: '高齢者インフルエンザ予防接種のお知らせ',
      body: '65歳以上の方は、自己負担1,500円で接種できます（令和9年1月31日まで）。',
      sender: 'muni-011002',
      department: '保健福祉局 保健所',
      publishedAt: '2026-10-01 09:00',
      readAt: '2026-10-02 09:30',
    },
  ],
  'resident-05': [
    {
      key: 'r05-juminzei',
      kind: 'tax',
      title: '令和8年度 市民税・県民税（普通徴収）第4期分 納付のお知らせ',
      body: '第4期分の納期限は令和9年2月1日です。',
      sender: 'muni-401307',
      department: '財政局 税務部',
      publishedAt: '2026-11-18 09:00',
      payment: { amount: 9_800, dueDate: '2027-02-01', payee: '福岡県福岡市', collector: '40130' },
    },
    {
      key: 'r05-pin',
      kind: 'general',
      title: '利用者証明用暗証番号の入力誤りについて',
      body: '暗証番号を連続して3回誤ると利用者証明用電子証明書がロックされます。お忘れの場合は、コンビニエンスストアまたは区役所で初期化できます。',
      sender: 'muni-401307',
      department: '博多区役所 市民課',
      publishedAt: '2026-09-01 09:00',
    },
  ],
  'resident-06': [
    {
      key: 'r06-seiho',
      kind: 'welfare',
      title: '生活保護 定期訪問のお知らせ',
      body: '担当のケースワーカーが12月中に訪問します。日程は別途ご連絡します。',
      sender: 'muni-261009',
      department: '東山区役所 保健福祉センター 生活福祉課',
      publishedAt: '2026-11-02 09:00',
    },
    {
      key: 'r06-ganken',
      kind: 'health-checkup',
      title: '胃がん検診の結果について',
      body: '2026年5月14日に受診された胃がん検診の結果は「異常なし」でした。',
      sender: 'muni-261009',
      department: '東山区役所 保健福祉センター 健康長寿推進課',
      publishedAt: '2026-06-01 09:00',
      readAt: '2026-06-02 19:00',
    },
  ],
};

/** Past 操作履歴 entries (Japan time), so the screen is not empty before the first login. */
export const PAST_LOGINS: Record<string, string[]> = {
  'resident-01': ['2026-05-21 07:44', '2026-06-03 22:29', '2026-10-11 08:01', '2026-10-20 21:12'],
  'resident-02': ['2025-11-16 09:58'],
  'resident-04': ['2026-10-02 09:28'],
};
