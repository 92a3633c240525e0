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
  { action: 'notify-datatilsynet', body: { reference: 'DT-2026-0042' }, step: 'inform-data-subjects' },
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
