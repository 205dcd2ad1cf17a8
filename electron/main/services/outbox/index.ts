/** The outbox's public surface (DESIGN §4 "Outbox"). */
export { backoffDelay, backoffPolicy, DEFAULT_BACKOFF } from './backoff.ts';
export { type StoredItem, toOutboxItem } from './item.ts';
export { LOCAL_MESSAGES, type LocalCode } from './messages.ts';
export {
  type EnqueueInput,
  MAX_PACKAGE_BYTES,
  Outbox,
  type OutboxOpenOptions,
  type QuarantineReason,
  type QuarantineReport,
  systemClock,
} from './outbox.ts';
export { isOutboxError, OutboxError, type OutboxErrorCode, type OutboxErrorDetails } from './outbox-error.ts';
export {
  APPLICATIONS_PATH,
  type PortalDelivererOptions,
  parseRetryAfter,
  portalDeliverer,
} from './portal-deliverer.ts';
export type {
  BackoffPolicy,
  Deliver,
  DeliveryOutcome,
  DeliveryRequest,
  LocalText,
  OutboxClock,
  Receipt,
} from './types.ts';
