/**
 * What the worker's codec hands on in place of a payload the service did not seal (or sealed for
 * another workflow): a value no workflow, update, query or activity accepts. Shared by the codec
 * (Node) and the workflow interceptors (the sandbox), so it imports nothing.
 */
export const REFUSED_PAYLOAD = '$bufRefusedPayload';

export type RefusalReason = 'unsealed' | 'unreadable' | 'other-workflow';

export interface RefusedPayload {
  [REFUSED_PAYLOAD]: RefusalReason;
}

/** The reason, when one of the values is a refused payload. */
export function refusedAmong(values: readonly unknown[]): RefusalReason | undefined {
  for (const v of values) {
    if (typeof v === 'object' && v !== null && REFUSED_PAYLOAD in v) return (v as RefusedPayload)[REFUSED_PAYLOAD];
  }
  return undefined;
}

export const REFUSAL_TEXT: Readonly<Record<RefusalReason, string>> = {
  unsealed: 'a payload not sealed with a key of the service',
  unreadable: 'a payload sealed with a key the service does not hold, or altered',
  'other-workflow': 'a payload sealed for another workflow',
};
