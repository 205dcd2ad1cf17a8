/**
 * portal/delivery — 民間送達サービスとの連携: a resident links a delivery service (an https
 * endpoint and a shared secret); every new お知らせ is pushed to it as a signed webhook with
 * retries and a delivery log. See signature.ts for what a delivery service must check.
 */
import type { Db } from '../db/database.ts';
import {
  type DeliveryOptions,
  DeliveryWorker,
  type ResolvedDeliveryOptions,
  resolveDeliveryOptions,
  type WorkerLog,
} from './worker.ts';

export { type EndpointPolicy, endpointProblem } from './endpoint.ts';
export {
  DEFAULT_TOLERANCE_SECONDS,
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
  type WebhookVerification,
} from './signature.ts';
export { type CreatedNotice, createNotice, EVENT_NOTICE_CREATED, type NewNotice } from './store.ts';
export { DEFAULT_RETRY, type DeliveryOptions, DeliveryWorker, type RetryPolicy } from './worker.ts';

/** What the delivery routes need at request time (PortalContext.delivery). */
export interface DeliveryRuntime {
  options: ResolvedDeliveryOptions;
  worker: DeliveryWorker;
}

export function createDeliveryRuntime(
  db: Db,
  now: () => Date,
  options: DeliveryOptions | undefined,
  log?: WorkerLog,
): DeliveryRuntime {
  const resolved = resolveDeliveryOptions(options);
  return { options: resolved, worker: new DeliveryWorker(db, now, resolved, log) };
}
