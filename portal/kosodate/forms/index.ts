/** The form definitions, one per online procedure. */
import type { ProcedureId } from '../catalog.ts';
import { hoikushoNyushoForm } from './hoikusho-nyusho.ts';
import { jidouTeateNinteiForm } from './jidou-teate-nintei.ts';
import type { FormDefinition } from './types.ts';

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * Deeply frozen: the definitions are shared by every request. A consumer that must change one
 * (e.g. a library that annotates schemas in place) takes a structuredClone first.
 */
export const FORMS: Readonly<Record<ProcedureId, FormDefinition>> = deepFreeze({
  'jidou-teate-nintei': jidouTeateNinteiForm,
  'hoikusho-nyusho': hoikushoNyushoForm,
});

export function getForm(procedureId: string): FormDefinition | undefined {
  return Object.hasOwn(FORMS, procedureId) ? FORMS[procedureId as ProcedureId] : undefined;
}

export * from './types.ts';
export { hoikushoNyushoForm, jidouTeateNinteiForm };
