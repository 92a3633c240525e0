/**
 * Retention: a closed case is anonymised when its process's retention period has passed. What
 * survives is what the reports count (categories, dates, outcomes, units) — never names, free
 * text or identifiers of citizens and employees. Each definition declares its fields
 * (`retainedAfterAnonymisation`, paths the compiler checks against the case data's type);
 * everything not listed is removed.
 */
import { PROCESS_DEFINITIONS } from './processes';

export const RETAINED_AFTER_ANONYMISATION: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  PROCESS_DEFINITIONS.map((p) => [p.name, p.retainedAfterAnonymisation as readonly string[]]),
);

/** The data of a case as it is kept after its retention period. */
export function anonymiseData(process: string, data: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = { anonymised: true };
  for (const path of RETAINED_AFTER_ANONYMISATION[process] ?? []) {
    const parts = path.split('.');
    let value: unknown = data;
    for (const part of parts) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value === undefined) continue;
    let target = kept;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]] = value;
  }
  return kept;
}
