/**
 * Retention: a closed case is anonymised when its process's retention period has passed. What
 * survives is what the reports count (categories, dates, outcomes, units) — never names, free
 * text or identifiers of citizens and employees. Paths name fields of the case's data;
 * everything not listed is removed.
 */
export const RETAINED_AFTER_ANONYMISATION: Record<string, readonly string[]> = {
  whistleblower: ['handlingUnit', 'receivedAt', 'replyDeadline', 'round', 'closedAutomatically'],
  'data-breach': [
    'discoveredAt', 'unit', 'dataCategories', 'approxAffected', 'channel', 'triage.outcome', 'risk.level',
    'authorityNotification.submittedAt', 'authorityNotification.late', 'outcome',
  ],
  complaint: ['channel', 'area', 'unit', 'unitType', 'receivedAt', 'acknowledgedAt', 'category', 'answeredAt', 'lawfulHandling', 'resolution', 'closedAutomatically'],
  'bullying-complaint': ['school', 'area', 'complainant', 'receivedAt', 'handledLocallyFirst', 'grounds', 'decision.outcome', 'decidedAt', 'forwardReason', 'resolution'],
  'access-request': ['receivedAt', 'requesterType', 'area', 'deadlineLetterSentAt', 'decidedAt', 'decisionOutcome', 'decidedWithinDeadline'],
  taskforce: ['unit', 'area', 'unitType', 'decision.outcome', 'decision.at', 'supportStartedAt', 'stabilityRestored.at'],
  'mandatory-training': ['course', 'staffGroup', 'unit', 'area', 'employedFrom', 'completions', 'endedAt'],
};

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
