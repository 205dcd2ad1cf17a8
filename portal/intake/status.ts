/**
 * The status workflow of an application (子育てワンストップ 申請状況):
 *
 *   受付済 received → 審査中 under-review → 完了 completed
 *                                        ↘ 差戻し returned
 *
 * completed and returned are final (a returned application is corrected by submitting a new
 * one). The database enforces the same transitions with a trigger (migration 2).
 */

export const APPLICATION_STATUSES = ['received', 'under-review', 'completed', 'returned'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const STATUS_LABELS: Readonly<Record<ApplicationStatus, { ja: string; en: string }>> = Object.freeze({
  received: { ja: '受付済', en: 'Received' },
  'under-review': { ja: '審査中', en: 'Under review' },
  completed: { ja: '完了', en: 'Completed' },
  returned: { ja: '差戻し', en: 'Returned' },
});

export const STATUS_TRANSITIONS: Readonly<Record<ApplicationStatus, readonly ApplicationStatus[]>> = Object.freeze({
  received: ['under-review'],
  'under-review': ['completed', 'returned'],
  completed: [],
  returned: [],
});

export function isApplicationStatus(s: string): s is ApplicationStatus {
  return (APPLICATION_STATUSES as readonly string[]).includes(s);
}

export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}
