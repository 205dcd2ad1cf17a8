/**
 * 児童手当 認定請求書 (児童手当法施行規則 様式第1号 as municipalities publish it; product-anchors
 * §2.5). Fields: 請求者 (氏名, フリガナ, 生年月日, 性別, 住所, 電話, 個人番号, 職業, 加入年金), 配偶者
 * (氏名, 個人番号), 支給要件児童 (氏名, 生年月日, 続柄, 同居・別居), 監護相当の大学生年代の子 (2024-10
 * reform, for the 多子加算 count), and the transfer account in the claimant's own name or the
 * 公金受取口座. The exact tag names of the online version are unknown (§2.5 [未確認]); these keys
 * are ours.
 */

import { ifThen } from '../json-schema.ts';
import { choice, compileForm, date, flag, group, list, mustAccept, relabel, text } from './builder.ts';
import {
  address,
  birthDate,
  documents,
  myNumber,
  personName,
  personNameKana,
  phone,
  postalCode,
  residence,
  sex,
  someItem,
  whereIn,
} from './common.ts';
import type { FormDefinition } from './types.ts';

export const JIDOU_TEATE_NINTEI = 'jidou-teate-nintei';

const RELATIONSHIP = [
  ['child', '子', 'Child'],
  ['grandchild', '孫', 'Grandchild'],
  ['sibling', '弟・妹', 'Younger sibling'],
  ['nephew-niece', 'おい・めい', 'Nephew or niece'],
  ['other', 'その他', 'Other'],
] as const;

const DOCUMENT_KINDS = [
  ['koza-kakunin', '振込先口座の確認書類', 'Proof of the bank account'],
  ['bekkyo-kango', '別居監護申立書', 'Statement of custody while living apart'],
  ['kango-soutou', '監護相当・生計費の負担についての確認書', 'Confirmation of support for an older child'],
  ['kenko-hoken', '健康保険の資格が確認できる書類', 'Proof of health insurance membership'],
  ['sonota', 'その他の書類', 'Other document'],
] as const;

const applicant = group(
  {
    ja: '請求者',
    en: 'Claimant',
    helpJa: '児童を養育している方（父母のうち所得の高い方など）',
    helpEn: 'The person raising the children (usually the parent with the higher income).',
  },
  {
    name: personName({ cardFill: 'name' }),
    nameKana: personNameKana(),
    birthDate: birthDate({ cardFill: 'birthDate' }),
    sex: sex({ cardFill: 'sex' }),
    postalCode: postalCode(),
    address: address({ cardFill: 'address' }),
    phone: phone(),
    myNumber: myNumber({ cardFill: 'myNumber' }),
    occupation: text(
      {
        ja: '職業',
        en: 'Occupation',
        helpJa: '例：会社員、自営業、無職',
        helpEn: 'e.g. company employee, self-employed, none',
      },
      { max: 50 },
    ),
    pension: choice(
      {
        ja: '加入している年金',
        en: 'Pension scheme',
        helpJa: '公務員（共済組合）の方は、勤務先に請求してください。',
        helpEn: 'Public servants (共済組合) claim from their employer, not here.',
      },
      [
        ['kosei-nenkin', '厚生年金', 'Employees’ Pension Insurance'],
        ['kokumin-nenkin', '国民年金', 'National Pension'],
        ['kyosai', '共済組合等', 'Mutual aid association'],
        ['none', '未加入', 'None'],
      ],
      'radio',
    ),
    employerName: text(
      { ja: '勤務先の名称', en: 'Employer', helpJa: '厚生年金の方のみ', helpEn: 'Employees’ Pension members only' },
      { max: 100 },
    ),
  },
  ['name', 'nameKana', 'birthDate', 'postalCode', 'address', 'phone', 'myNumber', 'occupation', 'pension'],
  ifThen(whereIn(['pension'], ['kosei-nenkin']), { required: ['employerName'] }),
);

const spouse = group(
  {
    ja: '配偶者',
    en: 'Spouse',
    helpJa: '配偶者がいる場合に入力します（別居中・事実婚を含む）。',
    helpEn: 'If you have a spouse (including one living apart or a common-law spouse).',
  },
  {
    name: personName(),
    nameKana: personNameKana(),
    birthDate: birthDate(),
    myNumber: myNumber(),
  },
  ['name', 'myNumber'],
);

const child = group(
  { ja: '支給要件児童', en: 'Eligible child' },
  {
    name: personName(),
    nameKana: personNameKana(),
    birthDate: birthDate(),
    relationship: choice({ ja: '請求者との続柄', en: 'Relationship to the claimant' }, RELATIONSHIP),
    residence: residence({
      helpJa: '別居している場合は別居監護申立書を添付してください。',
      helpEn: 'If the child lives apart from you, attach the statement of custody (別居監護申立書).',
    }),
    address: address({
      ja: '児童の住所',
      en: 'Child’s address',
      helpJa: '別居している場合のみ',
      helpEn: 'Only if living apart',
    }),
  },
  ['name', 'nameKana', 'birthDate', 'relationship', 'residence'],
  ifThen(whereIn(['residence'], ['apart']), { required: ['address'] }),
);

const olderChild = group(
  { ja: '監護相当・生計費を負担している大学生年代の子', en: 'Older child you support (aged 19–22)' },
  {
    name: personName(),
    birthDate: birthDate(),
    relationship: choice({ ja: '請求者との続柄', en: 'Relationship to the claimant' }, RELATIONSHIP),
  },
  ['name', 'birthDate', 'relationship'],
);

const bankAccount = group(
  {
    ja: '振込先口座',
    en: 'Bank account',
    helpJa: '請求者本人名義の口座に限ります。',
    helpEn: 'Must be in the claimant’s own name.',
  },
  {
    bankName: text({ ja: '金融機関名', en: 'Bank' }, { max: 50 }),
    bankCode: text(
      { ja: '金融機関コード', en: 'Bank code' },
      { max: 4, min: 4, pattern: '^[0-9]{4}$', input: 'digits' },
    ),
    branchName: text(
      {
        ja: '支店名',
        en: 'Branch',
        helpJa: 'ゆうちょ銀行は振込用の店名（〇一八など）',
        helpEn: 'Japan Post Bank: the branch name used for transfers (〇一八 etc.)',
      },
      { max: 50 },
    ),
    branchCode: text(
      { ja: '支店コード', en: 'Branch code' },
      { max: 3, min: 3, pattern: '^[0-9]{3}$', input: 'digits' },
    ),
    accountType: choice(
      { ja: '口座種別', en: 'Account type' },
      [
        ['ordinary', '普通', 'Ordinary'],
        ['current', '当座', 'Current'],
        ['savings', '貯蓄', 'Savings'],
      ],
      'radio',
    ),
    accountNumber: text(
      { ja: '口座番号', en: 'Account number', helpJa: '7桁', helpEn: '7 digits' },
      {
        max: 7,
        min: 7,
        pattern: '^[0-9]{7}$',
        input: 'digits',
      },
    ),
    accountHolderKana: relabel(personNameKana(), {
      ja: '口座名義（カナ）',
      en: 'Account holder (katakana)',
      helpJa: '通帳に記載のとおりに全角カタカナで入力してください。',
      helpEn: 'As printed in the passbook, in full-width katakana.',
    }),
  },
  ['bankName', 'branchName', 'accountType', 'accountNumber', 'accountHolderKana'],
);

const payee = group(
  { ja: '受取方法', en: 'How to receive the allowance' },
  {
    method: choice(
      { ja: '受取口座', en: 'Account' },
      [
        ['public-fund-account', '公金受取口座を利用する', 'Use my registered public-benefit account (公金受取口座)'],
        ['bank-account', '口座を指定する', 'Use the account below'],
      ],
      'radio',
    ),
    bankAccount,
  },
  ['method'],
  {
    allOf: [
      ifThen(whereIn(['method'], ['bank-account']), { required: ['bankAccount'] }),
      ifThen(whereIn(['method'], ['public-fund-account']), { not: { required: ['bankAccount'] } }),
    ],
  },
);

const compiled = compileForm({
  procedureId: JIDOU_TEATE_NINTEI,
  version: 1,
  title: { ja: '児童手当 認定請求書', en: 'Child allowance: claim for certification' },
  fields: {
    reason: choice(
      { ja: '請求の理由', en: 'Reason for the claim' },
      [
        ['birth', '出生', 'Birth'],
        ['moved-in', '転入', 'Moved in'],
        ['left-public-service', '公務員でなくなった', 'No longer a public servant'],
        ['other', 'その他', 'Other'],
      ],
      'radio',
    ),
    reasonDate: date({
      ja: '理由が生じた日',
      en: 'Date of the event',
      helpJa: '出生日・転入日など。その翌日から15日以内に請求すると、その翌月分から支給されます。',
      helpEn: 'Birth date, moving date etc. Claim within 15 days after it to be paid from the next month.',
    }),
    applicant,
    spouse,
    hasSpouse: flag({ ja: '配偶者の有無', en: 'Has a spouse' }),
    children: list(
      {
        ja: '支給要件児童',
        en: 'Eligible children',
        helpJa: '高校生年代までの児童',
        helpEn: 'Children up to high-school age',
      },
      child,
      { min: 1, max: 10 },
    ),
    olderChildren: list(
      {
        ja: '監護相当・生計費を負担している大学生年代の子',
        en: 'Older children you support (aged 19–22)',
        helpJa: '第3子以降の加算の数え方に用います。確認書を添付してください。',
        helpEn: 'Counted for the third-child supplement; attach the confirmation.',
      },
      olderChild,
      { max: 5 },
    ),
    payee,
    documents: documents(DOCUMENT_KINDS),
    declaration: mustAccept({
      ja: '記載内容に相違ないことを誓約します',
      en: 'I declare that this claim is true and complete',
    }),
  },
  required: ['reason', 'reasonDate', 'applicant', 'hasSpouse', 'children', 'payee', 'declaration'],
  rules: {
    allOf: [
      ifThen(whereIn(['hasSpouse'], [true]), { required: ['spouse'] }),
      ifThen(whereIn(['hasSpouse'], [false]), { not: { required: ['spouse'] } }),
    ],
  },
});

export const jidouTeateNinteiForm: FormDefinition = {
  procedureId: JIDOU_TEATE_NINTEI,
  version: 1,
  title: { ja: '児童手当 認定請求書', en: 'Child allowance: claim for certification' },
  schema: compiled.schema,
  fields: compiled.fields,
  attachments: [
    {
      kind: 'koza-kakunin',
      name: {
        ja: '振込先口座の確認書類（通帳・キャッシュカードの写し）',
        en: 'Proof of the bank account (passbook or card copy)',
      },
      mediaTypes: ['application/pdf', 'image/jpeg', 'image/png'],
      required: false,
      requiredWhen: {
        type: 'object',
        properties: { payee: whereIn(['method'], ['bank-account']) },
        required: ['payee'],
      },
      condition: { ja: '口座を指定する場合', en: 'When you name a bank account' },
      maxFiles: 2,
    },
    {
      kind: 'bekkyo-kango',
      name: { ja: '別居監護申立書', en: 'Statement of custody while living apart' },
      mediaTypes: ['application/pdf', 'image/jpeg', 'image/png'],
      required: false,
      requiredWhen: someItem('children', 'residence', ['apart']),
      condition: { ja: '別居している児童がいる場合', en: 'When a child lives apart from you' },
      maxFiles: 10,
    },
    {
      kind: 'kango-soutou',
      name: { ja: '監護相当・生計費の負担についての確認書', en: 'Confirmation of support for an older child' },
      mediaTypes: ['application/pdf', 'image/jpeg', 'image/png'],
      required: false,
      requiredWhen: {
        type: 'object',
        properties: { olderChildren: { type: 'array', minItems: 1 } },
        required: ['olderChildren'],
      },
      condition: { ja: '大学生年代の子を入力した場合', en: 'When you list older children' },
      maxFiles: 1,
    },
    {
      kind: 'kenko-hoken',
      name: { ja: '健康保険の資格が確認できる書類', en: 'Proof of health insurance membership' },
      mediaTypes: ['application/pdf', 'image/jpeg', 'image/png'],
      required: false,
      maxFiles: 2,
    },
    {
      kind: 'sonota',
      name: { ja: 'その他の書類', en: 'Other document' },
      mediaTypes: ['application/pdf', 'image/jpeg', 'image/png'],
      required: false,
      maxFiles: 5,
    },
  ],
};
