/**
 * 保育所等 入所申込: 施設型給付費・地域型保育給付費 支給認定申請書 兼 利用申込書 (子ども・子育て支援法施行
 * 規則 §2; product-anchors §2.5). Fields: 保護者 (氏名, フリガナ, 生年月日, 性別, 住所, 連絡先, 個人番号,
 * 続柄, 保育を必要とする理由 and its details, 勤務先), the other guardian, 申請児童 (氏名・ふりがな,
 * 生年月日, 性別, 個人番号, 認定区分, 認定者番号, 障害者手帳の有無, 希望施設 第1〜第5希望 each with a
 * reason), 利用希望 (開始日, 保育標準時間/短時間, 曜日, 時間), 世帯の状況, 生活保護. The keys are ours.
 * 保育を必要とする事由 follow 施行規則 §1-5: 就労, 妊娠・出産, 疾病・障害, 介護・看護, 災害復旧, 求職活動,
 * 就学, 虐待・DV, 育児休業中の継続利用, その他.
 */
import type { JsonSchema } from '../json-schema.ts';
import { ifThen } from '../json-schema.ts';
import {
  choice,
  compileForm,
  date,
  flag,
  group,
  int,
  list,
  mustAccept,
  type Node,
  num,
  text,
  time,
} from './builder.ts';
import {
  address,
  birthDate,
  documents,
  email,
  myNumber,
  personName,
  personNameKana,
  phone,
  postalCode,
  RESIDENCE_OPTIONS,
  sex,
  someItem,
  whereIn,
} from './common.ts';
import type { FormDefinition } from './types.ts';

export const HOIKUSHO_NYUSHO = 'hoikusho-nyusho';

export const NEED_REASONS = [
  ['employment', '就労', 'Work'],
  ['pregnancy', '妊娠・出産', 'Pregnancy or childbirth'],
  ['illness', '疾病・障害', 'Illness or disability'],
  ['caregiving', '介護・看護', 'Caring for a relative'],
  ['disaster', '災害復旧', 'Disaster recovery'],
  ['job-seeking', '求職活動', 'Looking for work'],
  ['education', '就学', 'Studying'],
  ['abuse-dv', '虐待・DVのおそれ', 'Risk of abuse or domestic violence'],
  ['parental-leave', '育児休業中の継続利用', 'Continued use during parental leave'],
  ['other', 'その他', 'Other'],
] as const;

const GUARDIAN_RELATIONSHIP = [
  ['father', '父', 'Father'],
  ['mother', '母', 'Mother'],
  ['grandfather', '祖父', 'Grandfather'],
  ['grandmother', '祖母', 'Grandmother'],
  ['other', 'その他', 'Other'],
] as const;

const DOCUMENT_KINDS = [
  ['shuro-shomeisho', '就労（内定）証明書', 'Certificate of employment (or job offer)'],
  ['jieigyo-moushitate', '自営業就労申立書', 'Self-employment statement'],
  ['jiyu-moushitate', '保育を必要とする事由の申立書', 'Statement of the need for childcare'],
  ['boshi-techo', '母子健康手帳の写し', 'Copy of the maternal and child health handbook'],
  ['ikukyu-shomeisho', '育児休業取得証明書', 'Certificate of parental leave'],
  ['shinshou-techo', '障害者手帳等の写し', 'Copy of the disability certificate'],
  ['sonota', 'その他の書類', 'Other document'],
] as const;

const work = group(
  {
    ja: '勤務先・就労の状況',
    en: 'Work',
    helpJa: '就労（内定を含む）の場合に入力します。',
    helpEn: 'If you work or have a job offer.',
  },
  {
    employerName: text({ ja: '勤務先の名称', en: 'Employer' }, { max: 100 }),
    employerAddress: address({ ja: '勤務先の所在地', en: 'Employer’s address' }),
    employerPhone: phone({ ja: '勤務先の電話番号', en: 'Employer’s phone number' }),
    employmentType: choice({ ja: '就労形態', en: 'Type of work' }, [
      ['regular', '正社員・正規職員', 'Regular employee'],
      ['part-time', 'パート・アルバイト', 'Part-time'],
      ['contract', '契約・派遣', 'Fixed-term or agency'],
      ['self-employed', '自営業', 'Self-employed'],
      ['family-business', '自営業の協力者・家族従業者', 'Family business helper'],
      ['offer', '就労内定', 'Job offer'],
    ]),
    daysPerWeek: int({ ja: '週あたりの就労日数', en: 'Working days per week' }, 1, 7),
    hoursPerWeek: num(
      { ja: '週あたりの就労時間', en: 'Working hours per week', helpJa: '休憩時間を除く', helpEn: 'Excluding breaks' },
      1,
      100,
    ),
    startTime: time({ ja: '始業時刻', en: 'Work starts at' }),
    endTime: time({ ja: '終業時刻', en: 'Work ends at' }),
  },
  ['employerName', 'employmentType', 'daysPerWeek', 'hoursPerWeek'],
);

const needRules: Pick<JsonSchema, 'allOf'> = {
  allOf: [
    ifThen(whereIn(['needReason'], ['employment']), { required: ['work'] }),
    ifThen(
      whereIn(
        ['needReason'],
        NEED_REASONS.map((r) => r[0]).filter((r) => r !== 'employment'),
      ),
      { required: ['needDetail'] },
    ),
  ],
};

function guardian(withAddress: boolean, spec: { ja: string; en: string; helpJa?: string; helpEn?: string }): Node {
  const card = withAddress; // the card is the applicant's: only the applicant's fields can be filled from it
  const fields: Record<string, Node> = {
    name: personName(card ? { cardFill: 'name' } : {}),
    nameKana: personNameKana(),
    birthDate: birthDate(card ? { cardFill: 'birthDate' } : {}),
    sex: sex(card ? { cardFill: 'sex' } : {}),
  };
  if (withAddress) {
    fields.postalCode = postalCode();
    fields.address = address({ cardFill: 'address' });
  }
  Object.assign(fields, {
    phone: phone({ ja: '連絡先電話番号', en: 'Contact phone number' }),
    myNumber: myNumber(card ? { cardFill: 'myNumber' } : {}),
    relationship: choice({ ja: '児童との続柄', en: 'Relationship to the child' }, GUARDIAN_RELATIONSHIP),
    needReason: choice(
      {
        ja: '保育を必要とする理由',
        en: 'Why the child needs childcare',
        helpJa: '主なものを1つ選んでください。',
        helpEn: 'Choose the main one.',
      },
      NEED_REASONS,
    ),
    needDetail: text(
      {
        ja: '理由の詳細',
        en: 'Details',
        helpJa: '就労以外の場合：病名、介護している方、出産予定日、学校名、期間など',
        helpEn: 'If not work: the illness, the person you care for, the due date, the school, the period …',
      },
      { max: 400, input: 'textarea' },
    ),
    work,
  });
  if (withAddress) fields.email = email();
  const required = ['name', 'nameKana', 'birthDate', 'sex', 'phone', 'myNumber', 'relationship', 'needReason'];
  if (withAddress) required.splice(4, 0, 'postalCode', 'address');
  return group(spec, fields, required, needRules);
}

const facility = group(
  { ja: '希望施設', en: 'Preferred facility' },
  {
    name: text({ ja: '施設名', en: 'Facility name' }, { max: 100 }),
    code: text(
      {
        ja: '施設番号',
        en: 'Facility number',
        helpJa: '一覧に記載の番号（分かる場合）',
        helpEn: 'From the facility list, if known',
      },
      {
        max: 20,
        pattern: '^[0-9A-Za-z-]+$',
        input: 'digits',
      },
    ),
    reason: text(
      {
        ja: '希望理由',
        en: 'Why this facility',
        helpJa: '例：自宅から近い、兄弟が在園',
        helpEn: 'e.g. close to home, a sibling attends',
      },
      {
        max: 200,
      },
    ),
  },
  ['name'],
);

const child = group(
  { ja: '申請児童', en: 'Child' },
  {
    name: personName(),
    nameKana: personNameKana(),
    birthDate: birthDate({
      helpJa: '出産前の申込みは出産予定日を入力してください。',
      helpEn: 'Before the birth: the due date.',
    }),
    sex: sex(),
    myNumber: myNumber({
      helpJa: '出生前・番号の通知前は空欄でかまいません。',
      helpEn: 'Leave empty before the birth or before the number is notified.',
    }),
    certification: choice(
      {
        ja: '認定区分',
        en: 'Certification type',
        helpJa: '3歳以上は2号、3歳未満は3号',
        helpEn: 'Type 2 from age 3, type 3 under 3',
      },
      [
        ['type2', '2号認定（3歳以上）', 'Type 2 (age 3 and over)'],
        ['type3', '3号認定（3歳未満）', 'Type 3 (under 3)'],
      ],
      'radio',
    ),
    certifiedNumber: text(
      {
        ja: '認定者番号',
        en: 'Certification number',
        helpJa: '既に支給認定を受けている場合',
        helpEn: 'If already certified',
      },
      { max: 10, min: 10, pattern: '^[0-9]{10}$', input: 'digits' },
    ),
    hasDisabilityCertificate: flag({ ja: '障害者手帳等の有無', en: 'Has a disability certificate' }),
    desiredFacilities: list(
      {
        ja: '希望施設（希望順）',
        en: 'Preferred facilities (in order of preference)',
        helpJa: '第1希望から順に、最大5施設',
        helpEn: 'First choice first, up to 5',
      },
      facility,
      { min: 1, max: 5 },
    ),
  },
  ['name', 'nameKana', 'birthDate', 'sex', 'certification', 'hasDisabilityCertificate', 'desiredFacilities'],
);

const usage = group(
  { ja: '利用希望', en: 'Requested use' },
  {
    desiredStartDate: date({
      ja: '利用開始希望日',
      en: 'Desired start date',
      helpJa: '原則として月の初日',
      helpEn: 'Normally the first day of a month',
    }),
    hours: choice(
      {
        ja: '保育必要量',
        en: 'Hours of care',
        helpJa: '保育標準時間は最長11時間、保育短時間は最長8時間',
        helpEn: 'Standard: up to 11 hours a day; short: up to 8',
      },
      [
        ['standard', '保育標準時間', 'Standard hours'],
        ['short', '保育短時間', 'Short hours'],
      ],
      'radio',
    ),
    days: list(
      { ja: '利用曜日', en: 'Days of use' },
      choice({ ja: '曜日', en: 'Day' }, [
        ['mon', '月', 'Monday'],
        ['tue', '火', 'Tuesday'],
        ['wed', '水', 'Wednesday'],
        ['thu', '木', 'Thursday'],
        ['fri', '金', 'Friday'],
        ['sat', '土', 'Saturday'],
      ]),
      { min: 1, max: 6, unique: true },
    ),
    dropOffTime: time({ ja: '登園時刻', en: 'Drop-off time' }),
    pickUpTime: time({ ja: '降園時刻', en: 'Pick-up time' }),
  },
  ['desiredStartDate', 'hours', 'days', 'dropOffTime', 'pickUpTime'],
);

const householdMember = group(
  { ja: '世帯員', en: 'Household member' },
  {
    name: personName(),
    relationship: text(
      {
        ja: '児童との続柄',
        en: 'Relationship to the child',
        helpJa: '例：兄、祖母',
        helpEn: 'e.g. brother, grandmother',
      },
      { max: 20 },
    ),
    birthDate: birthDate(),
    occupation: text({ ja: '職業・学校名', en: 'Occupation or school' }, { max: 100 }),
    residence: choice({ ja: '同居・別居の別', en: 'Living together or apart' }, RESIDENCE_OPTIONS, 'radio'),
    taxable: flag({ ja: '市町村民税の課税', en: 'Pays municipal inhabitant tax' }),
  },
  ['name', 'relationship', 'birthDate', 'residence'],
);

const compiled = compileForm({
  procedureId: HOIKUSHO_NYUSHO,
  version: 1,
  title: { ja: '保育所等 入所申込書（支給認定申請書 兼 利用申込書）', en: 'Nursery school: application for admission' },
  fields: {
    applicant: guardian(true, { ja: '申請者（保護者）', en: 'Applicant (guardian)' }),
    hasOtherGuardian: flag({ ja: 'もう一人の保護者の有無', en: 'There is another guardian' }),
    otherGuardian: guardian(false, {
      ja: 'もう一人の保護者',
      en: 'Other guardian',
      helpJa: '同じ世帯の配偶者など。ひとり親の場合は不要です。',
      helpEn: 'Your spouse in the same household, for example. Not for single parents.',
    }),
    children: list({ ja: '申請児童', en: 'Children' }, child, { min: 1, max: 5 }),
    usage,
    household: list(
      {
        ja: '世帯の状況（申請者・申請児童以外）',
        en: 'Other household members',
        helpJa: '同居の祖父母、兄弟姉妹などを入力してください。',
        helpEn: 'Grandparents, brothers and sisters and so on living with you.',
      },
      householdMember,
      { max: 10 },
    ),
    publicAssistance: flag({ ja: '生活保護の受給', en: 'Receives public assistance (生活保護)' }),
    documents: documents(DOCUMENT_KINDS),
    declaration: mustAccept({
      ja: '記載内容に相違ないこと、および支給認定・利用調整のために世帯の課税状況等を確認されることに同意します',
      en: 'I declare this is true and agree that the municipality checks the household’s tax records for the certification and allocation',
    }),
  },
  required: ['applicant', 'hasOtherGuardian', 'children', 'usage', 'publicAssistance', 'declaration'],
  rules: {
    allOf: [
      ifThen(whereIn(['hasOtherGuardian'], [true]), { required: ['otherGuardian'] }),
      ifThen(whereIn(['hasOtherGuardian'], [false]), { not: { required: ['otherGuardian'] } }),
    ],
  },
});

const anyGuardianReason = (reasons: readonly string[]): JsonSchema => ({
  anyOf: [
    { type: 'object', properties: { applicant: whereIn(['needReason'], reasons) }, required: ['applicant'] },
    { type: 'object', properties: { otherGuardian: whereIn(['needReason'], reasons) }, required: ['otherGuardian'] },
  ],
});

const ALL_TYPES: FormDefinition['attachments'][number]['mediaTypes'] = ['application/pdf', 'image/jpeg', 'image/png'];

export const hoikushoNyushoForm: FormDefinition = {
  procedureId: HOIKUSHO_NYUSHO,
  version: 1,
  title: { ja: '保育所等 入所申込書（支給認定申請書 兼 利用申込書）', en: 'Nursery school: application for admission' },
  schema: compiled.schema,
  fields: compiled.fields,
  attachments: [
    {
      kind: 'shuro-shomeisho',
      name: { ja: '就労（内定）証明書', en: 'Certificate of employment (or job offer)' },
      mediaTypes: ALL_TYPES,
      required: false,
      requiredWhen: anyGuardianReason(['employment']),
      condition: {
        ja: '就労している（内定を含む）保護者ごとに',
        en: 'For each guardian who works (or has a job offer)',
      },
      maxFiles: 4,
    },
    {
      kind: 'jieigyo-moushitate',
      name: { ja: '自営業就労申立書', en: 'Self-employment statement' },
      mediaTypes: ALL_TYPES,
      required: false,
      maxFiles: 2,
    },
    {
      kind: 'jiyu-moushitate',
      name: { ja: '保育を必要とする事由の申立書', en: 'Statement of the need for childcare' },
      mediaTypes: ALL_TYPES,
      required: false,
      requiredWhen: anyGuardianReason(['illness', 'caregiving', 'disaster', 'job-seeking', 'education', 'other']),
      condition: {
        ja: '疾病・介護・災害復旧・求職活動・就学・その他の理由の場合',
        en: 'For illness, caregiving, disaster recovery, job seeking, studying or other reasons',
      },
      maxFiles: 4,
    },
    {
      kind: 'boshi-techo',
      name: { ja: '母子健康手帳の写し', en: 'Copy of the maternal and child health handbook' },
      mediaTypes: ALL_TYPES,
      required: false,
      requiredWhen: anyGuardianReason(['pregnancy']),
      condition: { ja: '妊娠・出産の場合', en: 'For pregnancy or childbirth' },
      maxFiles: 2,
    },
    {
      kind: 'ikukyu-shomeisho',
      name: { ja: '育児休業取得証明書', en: 'Certificate of parental leave' },
      mediaTypes: ALL_TYPES,
      required: false,
      requiredWhen: anyGuardianReason(['parental-leave']),
      condition: { ja: '育児休業中の継続利用の場合', en: 'For continued use during parental leave' },
      maxFiles: 2,
    },
    {
      kind: 'shinshou-techo',
      name: { ja: '障害者手帳等の写し', en: 'Copy of the disability certificate' },
      mediaTypes: ALL_TYPES,
      required: false,
      requiredWhen: someItem('children', 'hasDisabilityCertificate', [true]),
      condition: { ja: '障害者手帳等をお持ちの児童がいる場合', en: 'When a child has a disability certificate' },
      maxFiles: 5,
    },
    {
      kind: 'sonota',
      name: { ja: 'その他の書類', en: 'Other document' },
      mediaTypes: ALL_TYPES,
      required: false,
      maxFiles: 5,
    },
  ],
};
