/**
 * portal/intake — receiving signed 子育てワンストップ applications: verification, the signer check,
 * form validation, storage with a 受付番号, the status workflow. The routes are in
 * service/routes/applications.ts.
 */
export { eraYear, formatReceiptNumber, nextReceiptNumber, RECEIPT_NUMBER_PATTERN } from './receipt-number.ts';
export {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  canTransition,
  isApplicationStatus,
  STATUS_LABELS,
  STATUS_TRANSITIONS,
} from './status.ts';
export {
  type ApplicationRow,
  insertApplication,
  listApplications,
  loadApplication,
  loadApplicationById,
  loadPackage,
  type NewApplication,
  recordStatusChange,
  type StatusActor,
  type StatusHistoryRow,
  statusHistory,
} from './store.ts';
export {
  APPLICATION_IDEMPOTENCY_SCOPE,
  APPLICATION_PACKAGE_MEDIA_TYPE,
  municipalityName,
  procedureTitle,
  type StoredVerification,
  type SubmissionOutcome,
  submitApplication,
} from './submit.ts';
