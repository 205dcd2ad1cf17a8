/**
 * portal/kosodate — the 子育てワンストップサービス of the reference portal (issue 4), as pure data and
 * functions: the demo service catalog and its search, a form schema (JSON Schema 2020-12 + UI
 * metadata + attachment list) per online procedure, card-fill mapping, and the validation of a
 * submitted application's form and attachments. No Fastify, no SQLite: the service core wires
 * these to routes and storage.
 */
export { CARD_FILL_RULES, type CardData, cardFillTargets, cardValueForForm, fillFromCard } from './card-fill.ts';
export {
  CATEGORIES,
  CATEGORY_KEYS,
  type CategoryKey,
  type Contact,
  categoryLabel,
  getMunicipality,
  getService,
  isCategoryKey,
  isProcedureId,
  type KosodateService,
  MUNICIPALITY_LIST,
  type Municipality,
  onlineService,
  PROCEDURE_IDS,
  type ProcedureId,
  SERVICES,
} from './catalog.ts';
export { isValidMunicipalityCode, isValidMyNumber, municipalityCheckDigit, myNumberCheckDigit } from './codes.ts';
export {
  ATTACHMENT_MEDIA_TYPES,
  type AttachmentMediaType,
  type AttachmentSpec,
  type Bilingual,
  type CardFillKind,
  type FieldOption,
  type FieldUi,
  FORMS,
  type FormDefinition,
  getForm,
  hoikushoNyushoForm,
  type InputHint,
  jidouTeateNinteiForm,
} from './forms/index.ts';
export { JIS_VARIANT_SUGGESTIONS, type JisCheckMode, jisCheckMode, nonJisX0208Characters } from './jis.ts';
export { JSON_SCHEMA_DIALECT, type JsonSchema, type JsonType, type JsonValue } from './json-schema.ts';
export { foldForSearch, queryTerms } from './normalize.ts';
export {
  SAMPLE_CARD,
  SAMPLE_MUNICIPALITY_CODE,
  type SampleApplication,
  sampleApplication,
  sampleForm,
} from './samples.ts';
export {
  SEARCH_LIMITS,
  SEARCH_QUERY_SCHEMA,
  type SearchQuery,
  type SearchResult,
  searchServices,
} from './search.ts';
export {
  type ApplicationInput,
  type AttachmentRef,
  assertSupportedSchema,
  checkAttachments,
  type FormIssue,
  type FormValidationResult,
  type IssueCode,
  isAttachmentRequired,
  isCalendarDate,
  MAX_REPORTED_ERRORS,
  matchesSchema,
  requiredAttachments,
  validateAgainstSchema,
  validateApplication,
  validateForm,
} from './validate-form.ts';
