import type { CaseChange } from './case-changes';
import type { Role } from './roles';

export type CaseStatus = 'open' | 'closed';
export type DeadlineState = 'pending' | 'met' | 'missed';

export interface Deadline {
  /** Stable name from the process definition (e.g. `datatilsynet-72h`). */
  name: string;
  dueAt: string;
  state: DeadlineState;
  /** When it was met, or when a missed obligation was finally fulfilled. */
  settledAt?: string;
  /** The instant it counts from. */
  from?: string;
  /** Its legal basis: statute and paragraph, or the policy figure. */
  basis?: string;
  /** How the due instant was computed, in Danish (runs started before the engine have none). */
  explanation?: string;
}

/** Who acted, as recorded in the journal (never the roles: they can change). */
export interface ActorRef {
  sub: string;
  name: string;
}

/**
 * The state of a case as the workflow keeps it and as it is stored in PostgreSQL after every
 * step; the API reads this snapshot, so both sides agree on what "the case" is.
 */
export interface CaseSnapshot<D = Record<string, unknown>> {
  id: string;
  caseNumber: string;
  process: string;
  step: string;
  status: CaseStatus;
  overdue: boolean;
  area?: string;
  openedAt: string;
  closedAt?: string;
  openedBy: ActorRef;
  deadlines: Deadline[];
  data: D;
}

export interface JournalEntry {
  seq: number;
  at: string;
  actor: ActorRef;
  action: string;
  note?: string;
}

/** A notification to a role's configured address; the key makes it unique per case event. */
export interface NotificationRequest {
  key: string;
  role: Role;
  kind: 'assignment' | 'reminder' | 'escalation' | 'briefing-request' | 'information';
  subject: string;
  body: string;
}

/** Overdue means: a deadline was missed and what it demanded is still outstanding. */
export function isOverdue(snapshot: Pick<CaseSnapshot, 'status' | 'deadlines'>): boolean {
  return snapshot.status === 'open' && snapshot.deadlines.some((d) => d.state === 'missed' && !d.settledAt);
}

export function nextDeadline(snapshot: Pick<CaseSnapshot, 'status' | 'deadlines'>): string | undefined {
  if (snapshot.status !== 'open') return undefined;
  const pending = snapshot.deadlines.filter((d) => d.state === 'pending').map((d) => d.dueAt);
  return pending.sort()[0];
}

/** The system itself, for steps taken by timers. */
export const SYSTEM_ACTOR: ActorRef = { sub: 'system', name: 'Systemet' };

/** One step of a case as the workflow hands it to persistence: journal entry, snapshot and
 * notifications, written together and exactly once (the sequence number is the idempotency key).
 * The first entry of a run carries the whole snapshot; later ones only what changed since the
 * entry before (applied in sequence order). Entries recorded before carry the whole snapshot. */
export type CaseEvent = {
  caseId: string;
  entry: JournalEntry;
  notifications: NotificationRequest[];
  /**
   * The workflow run chain writing it (its first run's id): the case file belongs to one chain,
   * so a run started another way under the case's id cannot overwrite it. Absent from events of
   * runs started before this was recorded.
   */
  runChain?: string;
  /** A reopening the API granted this chain (the case file holds the same grant). */
  reopenGrant?: string;
} & ({ snapshot: CaseSnapshot; changes?: undefined } | { changes: CaseChange[]; snapshot?: undefined });
