/**
 * The shared machinery of every process workflow: the case snapshot, the journal sequence,
 * the one action update with its validator, deadline timers with reminders and escalation,
 * and search attributes. Deterministic: only @temporalio/workflow and the domain definitions.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CaseActivities } from '@buf/activities/case-activities';
import {
  type ActionDefinition,
  type ActionHandlers,
  type ActorRef,
  type DataOf,
  type StepOf,
  type Actor,
  type CaseSnapshot,
  type Deadline,
  type LegalBasis,
  type NotificationRequest,
  type ProcessDefinition,
  type StartCaseInput,
  type TakeActionArgs,
  CASE_OWNED_BY_ANOTHER_RUN,
  CaseErrorCode,
  ROLE_LABELS,
  SYSTEM_ACTOR,
  UNRECORDABLE_CASE_EVENT,
  checkAction,
  computeDeadline,
  computeDeadlineAsBefore,
  describeBasis,
  formatCopenhagen,
  reminderInstants,
  isOverdue,
  moveRefusal,
  nextDeadline,
  normalizeInput,
  snapshotChanges,
  validateInput,
} from '@buf/domain';
import { caseOpenedUpdate, caseSnapshotQuery, takeActionUpdate } from './messages';
import { CASE_SEARCH_ATTRIBUTES as SA } from './search-attributes';

const { recordCaseEvent } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  // No attempt limit: while the database is away the step waits, it is never dropped.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [UNRECORDABLE_CASE_EVENT, CASE_OWNED_BY_ANOTHER_RUN] },
});

/** Patch id: actions wait for the 'opened' entry (see handleActions). */
const OPENED_BEFORE_ACTIONS = 'actions-wait-for-opened';
/**
 * Patch id: deadlines are computed by the definitions' rules (a period in days ends at the end of
 * its last day, in Copenhagen). Runs started before keep the instants they were given.
 */
const DEADLINE_ENGINE = 'deadline-engine';
/**
 * Patch id: every open case continues as new when Temporal suggests it or its history passes the
 * limit (see run), and a continued run re-arms its pending deadlines itself. Runs started before
 * end as they began.
 */
const CONTINUE_AS_NEW_WHEN_DUE = 'continue-as-new-when-due';

/** History length (events) after which an open case continues as new at its next safe point. */
export const DEFAULT_HISTORY_LIMIT = 5_000;

export type Notice = Omit<NotificationRequest, 'key'>;

/** A handler as the kit calls it; ActionHandlers<P> is what a workflow writes. */
type AnyActionHandler = (input: Record<string, unknown>, actor: Actor, moveTo: (step: string) => void) => Promise<void>;

export interface DeadlineWatch {
  /** What happens when it passes unmet; default: escalation as the definition says. */
  onMissed?: () => Promise<void>;
  /** False: no reminders (a run started before the definition declared them replays without). */
  reminders?: boolean;
}

/** When a deadline counts from, and what the case decides of it (a figure by staff group, a given instant). */
export interface DeadlineStart {
  from: number | string;
  count?: number;
  at?: number | string;
  /** Where the case decides the figure (a course's days by staff group): which figure it is. */
  basis?: LegalBasis;
}

export class CaseRuntime<P extends ProcessDefinition, D = DataOf<P>> {
  readonly snapshot: CaseSnapshot<D>;
  private seq = 0;
  private persistedSeq = 0;
  /** Journal entries whose recording activity has not completed yet (a timer's may run outside any handler). */
  private recording = 0;
  /** Deadline watches still running (a reopened case may start new ones). */
  private watching = 0;
  private readonly watchers: Promise<void>[] = [];
  /** The deadlines watched by this run (a continued run re-arms the pending ones not watched yet). */
  private readonly watched = new Set<Deadline>();
  /** How each deadline is watched wherever it is armed (declared by the workflow, see `watchAs`). */
  private readonly watchOptions = new Map<string, DeadlineWatch>();
  /** The snapshot as last handed to persistence in this run: later entries carry only what changed. */
  private recorded: CaseSnapshot | undefined;
  private continuesWhenDueMemo: boolean | undefined;

  /** True when this run continues a case from an earlier run (continue-as-new). */
  readonly continued: boolean;
  /** Deadlines by the definitions' rules (false only when replaying a run started before them). */
  private readonly deadlineEngine: boolean;

  constructor(
    readonly definition: P,
    private readonly start: StartCaseInput<unknown>,
    data: NoInfer<D>,
    area: string | undefined,
  ) {
    this.continued = start.continued !== undefined;
    // A start is held to the definition's field rules here too, not only by the API: a start that
    // reaches Temporal another way, or a rule the API missed, fails the run at once with the
    // fields named, instead of a workflow task retried for ever. Instants are read by the rule
    // (a local time is Copenhagen time) and written one way for the rest of the run.
    if (!this.continued) {
      const now = Date.now();
      const fieldProblems = validateInput(definition.startInput, start.input, now, { areas: start.areas });
      const normalized = normalizeInput(definition.startInput, start.input as Record<string, unknown>);
      const problems = fieldProblems.length > 0 ? fieldProblems : (definition.startCheck?.(normalized, now) ?? []);
      if (problems.length > 0) {
        throw ApplicationFailure.create({
          type: CaseErrorCode.InvalidInput,
          message: problems.map((p) => p.message).join('; '),
          details: [{ fields: problems }],
          nonRetryable: true,
        });
      }
      Object.assign(start.input as object, normalized);
    }
    this.deadlineEngine = patched(DEADLINE_ENGINE);
    this.seq = start.continued?.seq ?? 0;
    this.persistedSeq = this.seq;
    this.snapshot = start.continued ? (start.continued.snapshot as CaseSnapshot<D>) : {
      id: start.caseId,
      caseNumber: start.caseNumber,
      process: definition.name,
      step: definition.initialStep,
      status: 'open',
      overdue: false,
      ...(area ? { area } : {}),
      openedAt: start.openedAt,
      openedBy: { sub: start.actor.sub, name: start.actor.name },
      deadlines: [],
      data,
    };
    setHandler(caseSnapshotQuery, () => this.snapshot as CaseSnapshot);
    setHandler(caseOpenedUpdate, async () => {
      await condition(() => this.persistedSeq >= 1);
    });
  }

  get data(): D {
    return this.snapshot.data;
  }

  now(): number {
    return Date.now();
  }

  nowIso(): string {
    return new Date(Date.now()).toISOString();
  }

  /** The label of a deadline, and the case, for Danish notification texts (no personal data). */
  describe(deadlineName?: string): string {
    const base = `${this.definition.label} ${this.snapshot.caseNumber}`;
    if (!deadlineName) return base;
    const d = this.deadline(deadlineName);
    const label = this.definition.deadlines.find((x) => x.name === deadlineName)?.label ?? deadlineName;
    return `${base} – ${label} (frist ${formatCopenhagen(Date.parse(d.dueAt))})`;
  }

  /**
   * A move the case makes by itself (a timer, a window that passed). An action moves the case
   * with the `moveTo` its handler receives, which takes only a step of the action's `leadsTo`.
   */
  setStep(step: StepOf<P>): void {
    this.snapshot.step = step;
  }

  /**
   * Starts a deadline of the definition: the kit computes its due instant from the declared rule
   * (counted from `from`), with its legal basis and a Danish explanation of the computation.
   */
  startDeadline(name: string, start: DeadlineStart): Deadline {
    const rule = this.deadlineDefinition(name).rule;
    const from = typeof start.from === 'string' ? Date.parse(start.from) : start.from;
    const at = typeof start.at === 'string' ? Date.parse(start.at) : start.at;
    const invalid = !Number.isFinite(from) || (rule.measure.unit === 'given' && (at === undefined || !Number.isFinite(at)));
    if (invalid) {
      // Never a RangeError retried for ever: the run fails, named, and an operator sees it.
      throw ApplicationFailure.create({ type: CaseErrorCode.InvalidInput, message: `Deadline ${name} has no valid instant`, nonRetryable: true });
    }
    const options = { ...(start.count !== undefined ? { count: start.count } : {}), ...(at !== undefined ? { at } : {}) };
    const computed = this.deadlineEngine
      ? computeDeadline(rule, from, this.start.policy, options)
      : { dueAt: computeDeadlineAsBefore(rule, from, this.start.policy, options), explanation: undefined };
    const d: Deadline = {
      name,
      dueAt: new Date(computed.dueAt).toISOString(),
      state: 'pending',
      from: new Date(from).toISOString(),
      basis: describeBasis(start.basis ?? rule.basis),
      ...(computed.explanation ? { explanation: computed.explanation } : {}),
    };
    this.snapshot.deadlines.push(d);
    return d;
  }

  private deadlineDefinition(name: string) {
    const definition = this.definition.deadlines.find((x) => x.name === name);
    if (!definition) throw ApplicationFailure.nonRetryable(`Process ${this.definition.name} declares no deadline ${name}`, 'MissingDeadline');
    return definition;
  }

  /** The latest deadline of that name (a process may arm one per round). */
  deadline(name: string): Deadline {
    const found = [...this.snapshot.deadlines].reverse().find((d) => d.name === name);
    if (!found) throw ApplicationFailure.nonRetryable(`No deadline ${name} on this case`, 'MissingDeadline');
    return found;
  }

  /** The obligation behind a deadline is fulfilled: met in time, or a missed one made good. */
  settle(name: string): void {
    const d = [...this.snapshot.deadlines].reverse().find((x) => x.name === name);
    if (!d || d.settledAt) return;
    if (d.state === 'pending') d.state = 'met';
    d.settledAt = this.nowIso();
  }

  /** Journal entry, snapshot and notifications, persisted exactly once under the next sequence number. */
  async record(actor: ActorRef, action: string, options: { note?: string; notify?: Notice[] } = {}): Promise<void> {
    const seq = ++this.seq;
    this.snapshot.overdue = isOverdue(this.snapshot);
    this.publishSearchAttributes();
    const notifications = (options.notify ?? []).map((n, i) => ({ ...n, key: `${this.snapshot.id}:${seq}:${i}` }));
    this.recording += 1;
    // The first entry of a run carries the whole snapshot; the others what changed since the one before.
    const snapshot = structuredCloneSafe(this.snapshot) as CaseSnapshot;
    const previous = this.recorded;
    this.recorded = snapshot;
    try {
      await recordCaseEvent({
        caseId: this.snapshot.id,
        entry: { seq, at: this.nowIso(), actor: { sub: actor.sub, name: actor.name }, action, ...(options.note ? { note: options.note } : {}) },
        ...(previous ? { changes: snapshotChanges(previous, snapshot) } : { snapshot }),
        notifications,
        // The case file belongs to this run chain (a reopening brings the API's grant to take it over).
        runChain: workflowInfo().firstExecutionRunId,
        ...(this.start.continued?.reopenGrant ? { reopenGrant: this.start.continued.reopenGrant } : {}),
      });
    } catch (err) {
      // An entry the store refused for good is never written: the next carries the whole
      // snapshot, so it does not wait for this one.
      this.recorded = undefined;
      throw err;
    }
    this.recording -= 1;
    this.persistedSeq = Math.max(this.persistedSeq, seq);
  }

  /**
   * Registers the one action update: the validator refuses synchronously, the handler acts. The
   * compiler demands one handler per action of the definition, each typed by its action's input
   * schema and `leadsTo`.
   */
  handleActions(handlers: ActionHandlers<P>): void {
    setHandler(
      takeActionUpdate,
      async ({ action, input, actor }: TakeActionArgs) => {
        const handler = (handlers as unknown as Record<string, AnyActionHandler | undefined>)[action];
        const declared = this.definition.actions.find((a) => a.name === action);
        if (!handler || !declared) throw ApplicationFailure.create({ type: CaseErrorCode.NotFound, message: `No action ${action}`, nonRetryable: true });
        // An update delivered with the start runs before the workflow has recorded 'opened'; it
        // waits for that entry to take its number, so the journal always begins with 'opened'.
        // (Patched: runs started before this change keep their recorded order.)
        if (this.seq === 0 && patched(OPENED_BEFORE_ACTIONS)) await condition(() => this.seq > 0);
        // The validator let an action through on a closed case only if it reopens it.
        if (this.snapshot.status === 'closed' && declared.reopens) await this.reopen(actor, declared);
        await handler(normalizeInput(declared.input, input ?? {}), actor, (step) => this.moveBy(declared, step));
      },
      {
        validator: ({ action, input, actor }: TakeActionArgs) => {
          const refusal = checkAction(this.definition, this.snapshot as CaseSnapshot, action, actor, input, Date.now());
          if (refusal) {
            throw ApplicationFailure.create({
              type: refusal.code,
              message: refusal.message,
              details: refusal.details ? [refusal.details] : [],
              nonRetryable: true,
            });
          }
        },
      },
    );
  }

  /**
   * A closed case opens again for an action that reopens it, journalled before the action's own
   * entry. The status changes at once (before any await), so the run does not end under it.
   */
  private async reopen(actor: ActorRef, action: ActionDefinition): Promise<void> {
    this.snapshot.status = 'open';
    delete this.snapshot.closedAt;
    await this.record(actor, 'reopened', { note: `Sagen genoptaget: ${action.label.toLowerCase()}` });
  }

  /** The step an action moves the case to: one of its `leadsTo`, or the action fails (never a silent wrong step). */
  private moveBy(action: ActionDefinition, step: string): void {
    const refusal = moveRefusal(action, step);
    if (refusal) throw ApplicationFailure.create({ type: 'IllegalMove', message: refusal, nonRetryable: true });
    this.snapshot.step = step;
  }

  /**
   * Runs a deadline's reminders (as its definition declares them) and its escalation in the
   * background until it is settled.
   */
  watch(name: string, options: DeadlineWatch = {}): void {
    this.watchDeadline(this.deadline(name), options);
  }

  private watchDeadline(d: Deadline, options: DeadlineWatch = {}): void {
    const name = d.name;
    this.watched.add(d);
    this.watching += 1;
    this.watchers.push(
      this.runWatch(d, { ...this.watchOptions.get(name), ...options }).finally(() => {
        this.watching -= 1;
      }),
    );
  }

  /**
   * How a deadline of that name is watched wherever it is armed, also when a continued run
   * re-arms it (e.g. a missed window that closes the case instead of escalating).
   */
  watchAs(name: string, options: DeadlineWatch): void {
    this.watchOptions.set(name, options);
  }

  private reminders(d: Deadline, options: DeadlineWatch): { at: number; notify: Notice[] }[] {
    if (options.reminders === false) return [];
    const definition = this.deadlineDefinition(d.name);
    const due = Date.parse(d.dueAt);
    const from = d.from !== undefined ? Date.parse(d.from) : due;
    return (definition.reminders ?? []).flatMap((reminder) =>
      reminderInstants(reminder, from, due, this.start.policy, !this.deadlineEngine).map((at) => ({
        at,
        notify: reminder.notify.map((role) => ({
          role,
          kind: 'reminder' as const,
          subject: `Påmindelse: ${this.describe(d.name)}`,
          body: `Påmindelse om fristen: ${this.describe(d.name)}.${d.explanation ? ` ${d.explanation}.` : ''} Sags-id: ${this.snapshot.id}.`,
        })),
      })),
    );
  }

  private async runWatch(d: Deadline, options: DeadlineWatch): Promise<void> {
    const settled = () => d.state !== 'pending' || this.snapshot.status === 'closed';
    for (const reminder of this.reminders(d, options).sort((a, b) => a.at - b.at)) {
      if (reminder.at <= Date.now()) continue; // reported late: that reminder's moment has passed
      if (await condition(settled, reminder.at - Date.now())) return;
      await this.record(SYSTEM_ACTOR, 'reminder', { note: `Påmindelse: ${this.describe(d.name)}`, notify: reminder.notify });
    }
    const remaining = Date.parse(d.dueAt) - Date.now();
    if (remaining > 0 && (await condition(settled, remaining))) return;
    if (settled()) return;
    d.state = 'missed';
    await (options.onMissed ?? (() => this.escalate(d.name)))();
  }

  /**
   * Escalation: a notification to the roles the definition names, a journal entry that names who
   * was told, and the case flagged overdue. `detail` says, in Danish, what the case waits for
   * (no personal data: it goes into the notification too).
   */
  async escalate(name: string, detail?: string): Promise<void> {
    const roles = this.deadlineDefinition(name).escalatesTo;
    const text = `Frist overskredet: ${this.describe(name)}${detail ? `. ${detail}` : ''}`;
    // A role that cannot read the case is told that the deadline passed and who handles the case:
    // process, case number and deadline, nothing of the case's content.
    const readers = [...new Set([...this.definition.readRoles, ...(this.definition.readScopes ?? []).map((s) => s.role)])];
    const notice = `${text}. Til orientering: sagen er markeret som overskredet og behandles af ${readers.map((r) => ROLE_LABELS[r]).join(', ')}.`;
    await this.record(SYSTEM_ACTOR, 'deadline-missed', {
      note: roles.length > 0 ? `${text}. Underrettet: ${roles.map((r) => ROLE_LABELS[r]).join(', ')}` : text,
      notify: roles.map((role) => ({
        role,
        kind: 'escalation' as const,
        subject: text,
        body: readers.includes(role) ? `${text}. Sagen er markeret som overskredet og kræver handling. Sags-id: ${this.snapshot.id}.` : notice,
      })),
    });
  }

  /** Closes the case; pending deadlines no longer apply. */
  async close(actor: ActorRef, action: string, note?: string): Promise<void> {
    this.snapshot.status = 'closed';
    this.snapshot.step = 'closed';
    this.snapshot.closedAt = this.nowIso();
    for (const d of this.snapshot.deadlines) {
      if (d.state === 'pending') this.settle(d.name);
    }
    await this.record(actor, action, note ? { note } : {});
  }

  /**
   * Long-lived cases: when Temporal suggests it (or the history passes `maxHistoryEvents`), wait
   * for running handlers, then continue as new with the current state. Deadline watchers end
   * with this run; the workflow re-arms pending deadlines when `continued` is true.
   */
  async continueAsNewIfDue(maxHistoryEvents = DEFAULT_HISTORY_LIMIT): Promise<void> {
    if (!continueAsNewDue(maxHistoryEvents)) return;
    await this.continueAsNewWhenIdle(false);
  }

  /**
   * Handlers first, and every journal entry already numbered (a reminder or escalation from a
   * deadline timer may be in flight): an activity left behind by this run would leave a gap.
   * `onlyOpen`: a case that closed meanwhile ends in this run instead (this returns).
   */
  private async continueAsNewWhenIdle(onlyOpen: boolean): Promise<void> {
    const idle = () => allHandlersFinished() && this.recording === 0;
    await condition(idle);
    // Conditions are checked as each activation job applies, before the code it wakes runs: a
    // deadline timer that fired in this activation may be about to record. Let it run, then check
    // again (runs started before continued at once).
    while (this.continuesWhenDue()) {
      await condition(() => true);
      if (idle()) break;
      await condition(idle);
    }
    if (onlyOpen && this.snapshot.status !== 'open') return;
    await continueAsNew<(input: StartCaseInput<unknown>) => Promise<void>>({
      ...this.start,
      continued: { snapshot: structuredCloneSafe(this.snapshot) as CaseSnapshot, seq: this.seq },
    });
  }

  /**
   * Whether this run continues as new when due and re-arms its pending deadlines when continued
   * (false only when replaying a run started before).
   */
  continuesWhenDue(): boolean {
    this.continuesWhenDueMemo ??= patched(CONTINUE_AS_NEW_WHEN_DUE);
    return this.continuesWhenDueMemo;
  }

  /**
   * Waits for the case to close and every handler, deadline watch and journal write to finish,
   * all at once: an action that reopens the case while the run is ending keeps it running.
   * Meanwhile, an open case continues as new when Temporal suggests it or its history passes
   * `maxHistoryEvents` (after its handlers and journal writes), so no case's history grows
   * without limit; a continued run first re-arms the pending deadlines the workflow did not.
   */
  async run(maxHistoryEvents = DEFAULT_HISTORY_LIMIT): Promise<void> {
    const ended = () => this.snapshot.status === 'closed' && this.watching === 0 && this.recording === 0 && allHandlersFinished();
    if (this.continuesWhenDue()) {
      if (this.continued) this.rearm();
      for (;;) {
        await condition(() => ended() || (this.snapshot.status === 'open' && continueAsNewDue(maxHistoryEvents)));
        if (ended()) break;
        await this.continueAsNewWhenIdle(true); // returns only if the case closed meanwhile
      }
    }
    await condition(ended);
    await Promise.all(this.watchers); // all settled by now; a watch that failed fails the run, as before
  }

  /** The previous run's timers ended with it: its pending deadlines are watched again (nothing is journalled). */
  private rearm(): void {
    if (this.snapshot.status !== 'open') return;
    for (const d of this.snapshot.deadlines) {
      if (d.state === 'pending' && !this.watched.has(d)) this.watchDeadline(d);
    }
  }

  private publishSearchAttributes(): void {
    const next = nextDeadline(this.snapshot as CaseSnapshot);
    const pairs: SearchAttributeUpdatePair[] = [
      { key: SA.process, value: this.snapshot.process },
      { key: SA.caseNumber, value: this.snapshot.caseNumber },
      { key: SA.step, value: this.snapshot.step },
      { key: SA.overdue, value: this.snapshot.overdue },
      { key: SA.nextDeadline, value: next ? new Date(next) : null },
    ];
    if (this.snapshot.area) pairs.push({ key: SA.area, value: this.snapshot.area });
    upsertSearchAttributes(pairs);
  }
}

/** Temporal suggests continuing as new, or the history has passed the limit. */
function continueAsNewDue(maxHistoryEvents: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= maxHistoryEvents;
}

/** Snapshots are plain JSON; copying detaches the recorded state from later mutations. */
function structuredCloneSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
