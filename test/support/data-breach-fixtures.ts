/** A breach report and its high-risk path, shared by the end-to-end and fault tests. */

const HOUR = 3_600_000;

/** A breach as an employee reports it, two hours after discovery; its description and categories hold personal data. */
export const breachReport = (overrides: Record<string, unknown> = {}) => ({
  discoveredAt: new Date(Date.now() - 2 * HOUR).toISOString(),
  unit: 'Skole Nord',
  area: 'nord',
  description: 'Elevliste med navne og CPR-numre sendt til forkert forælder',
  dataCategories: ['navn', 'cpr-nummer'],
  approxAffected: 24,
  channel: 'serviceportal',
  ...overrides,
});

/** The content of a notification to Datatilsynet that Art. 33(3) requires, beside the reference. */
export const ART_33_3_CONTENT = {
  nature: 'Elevliste sendt med e-mail til forkert forælder',
  subjectCategories: ['elever'],
  approxSubjects: 24,
  recordCategories: ['navn', 'cpr-nummer'],
  approxRecords: 48,
  contactPoint: 'GDPR-funktionen, BUF, gdpr@buf.kk.dk',
  likelyConsequences: 'Risiko for identitetsmisbrug',
  measures: 'Modtageren har slettet e-mailen; rutinen for udsendelse er ændret',
} as const;

/** A notification of Datatilsynet with the content Art. 33(3) requires. */
export const notification = (reference: string, overrides: Record<string, unknown> = {}) => ({
  reference,
  ...ART_33_3_CONTENT,
  subjectCategories: [...ART_33_3_CONTENT.subjectCategories],
  recordCategories: [...ART_33_3_CONTENT.recordCategories],
  ...overrides,
});

export interface BreachStep {
  action: string;
  body: Record<string, unknown>;
  /** The step the case is at once the action is taken. */
  step: string;
}

/** A high-risk breach from report to closed. */
export const HIGH_RISK_PATH: readonly BreachStep[] = [
  { action: 'triage', body: { outcome: 'breach', reason: 'Oplysninger videregivet' }, step: 'risk-assessment' },
  { action: 'assess-risk', body: { risk: 'high', rationale: 'Mange børn berørt' }, step: 'notify-datatilsynet' },
  { action: 'notify-datatilsynet', body: notification('DT-2026-0042'), step: 'inform-data-subjects' },
  { action: 'notify-data-subjects', body: { method: 'Brev i Digital Post', count: 24 }, step: 'ready-to-close' },
  { action: 'close', body: { summary: 'Forældre informeret, rutine ændret' }, step: 'closed' },
];

/** The journal of a breach that went the whole high-risk path. */
export const HIGH_RISK_JOURNAL = ['opened', ...HIGH_RISK_PATH.map((s) => s.action)];

/** The high-risk path's entry for an action. */
export function highRiskStep(action: string): BreachStep {
  const found = HIGH_RISK_PATH.find((s) => s.action === action);
  if (!found) throw new Error(`No step ${action} on the high-risk path`);
  return found;
}
