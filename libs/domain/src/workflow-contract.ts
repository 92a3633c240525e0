import type { CaseSnapshot } from './case';
import type { CasePolicy } from './policy';
import type { Actor } from './roles';

/** What the API passes to a process workflow when it opens a case. */
export interface StartCaseInput<I = Record<string, unknown>> {
  caseId: string;
  caseNumber: string;
  openedAt: string;
  actor: Actor;
  input: I;
  policy: CasePolicy;
  /**
   * The configured areas (AREAS) when the case was opened: the start's area fields are held to
   * them by the same field rule as in the API. Configuration, not a figure of the policy: it is
   * read once, at the start, and not kept on the case. Absent in runs opened before it was passed
   * (their starts were checked by the API).
   */
  areas?: readonly string[];
  /**
   * Set when a long-lived case continues as new, or a closed case is reopened: the state it had,
   * and its last journal sequence; a reopening carries the grant the API wrote to the case file.
   */
  continued?: { snapshot: CaseSnapshot; seq: number; reopenGrant?: string };
  /**
   * Operations and test knob, not case input (the start schema refuses it there): the history
   * length (events) after which a long-lived case continues as new at its next chance.
   */
  historyLimit?: number;
}

/** The single update through which every action is taken. */
export interface TakeActionArgs {
  action: string;
  input: Record<string, unknown>;
  actor: Actor;
}

export function caseIdOf(process: string, caseNumber: string): string {
  return `${process}-${caseNumber}`;
}

/** Whether `id` is the id `caseIdOf` gives a case of that process (any case number). */
export function isCaseIdOf(process: string, id: string): boolean {
  return id.startsWith(`${process}-`) && /^\d{4}-\d{7}$/.test(id.slice(process.length + 1));
}

/** `YYYY-NNNNNNN`: the year the case was opened and a number from a database sequence. */
export function formatCaseNumber(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(7, '0')}`;
}
