import type { CaseSnapshot } from './case';
import type { DeadlineRule, ReminderRule } from './deadlines';
import type { FieldError, FieldSpec, HeldOutsideWorkflow, InputSchema } from './fields';
import type { Actor, Role } from './roles';

export interface StepDefinition {
  name: string;
  /** Danish label, as staff read it. */
  label: string;
  terminal?: boolean;
}

export interface ActionDefinition<D = any> {
  name: string;
  label: string;
  description: string;
  /** Roles that may take the action at all (403 for anyone else). */
  roles: readonly Role[];
  /** Steps in which the action can be taken (409 elsewhere). */
  steps: readonly string[];
  /** Steps the action can lead to, for documentation and BPMN. */
  leadsTo: readonly string[];
  input: InputSchema;
  /**
   * The action may also be taken on a closed case (its `steps` then include `closed`): it reopens
   * the case, journalled as `reopened` before the action's own entry (e.g. a complaint about a
   * decision after the case was closed).
   */
  reopens?: boolean;
  /**
   * A rule on the case beyond the step, e.g. "the reply briefing is recorded": 409 reason.
   * `actor` serves rules that depend on who acts within the case's state (e.g. "this role has already approved").
   */
  precondition?: (c: CaseSnapshot<D>, input: Record<string, unknown> | undefined, actor: Actor) => string | undefined;
  /** A rule on the person, e.g. "only the assigned jurist": 403 reason. */
  personCheck?: (c: CaseSnapshot<D>, actor: Actor) => string | undefined;
  /** Field rules that depend on the case, e.g. a delay reason after the deadline: 400. */
  inputCheck?: (c: CaseSnapshot<D>, input: Record<string, unknown>, now: number) => FieldError[];
  /**
   * A repeatable action's limit per case: it appends to the data list `list`, which holds at most
   * `max` entries (409 beyond, naming the action, the limit and the count). `why` says, for the
   * documentation, why no real case reaches it.
   */
  limit?: RepeatLimit<D>;
}

export interface RepeatLimit<D = any> {
  max: number;
  list: DataPath<D> & string;
  why: string;
}

export interface DeadlineDefinition {
  name: string;
  label: string;
  description: string;
  /** How it is counted, from what, and why (statute or policy): the kit computes the instant from this. */
  rule: DeadlineRule;
  /** Who is reminded while it runs, and when. */
  reminders?: readonly ReminderRule[];
  /** Who is told when it is missed. */
  escalatesTo: readonly Role[];
  /**
   * The steps in which it runs, for the BPMN export (a timer on each of these steps): absent, it
   * may run in every step that is not terminal.
   */
  runsIn?: readonly string[];
}

/**
 * A field of a case's data, or a field of an object field (`triage.outcome`), as the compiler
 * knows the data type: where the code names data fields as strings (retention, reports), the
 * names are checked against the data.
 */
export type DataPath<D> = {
  [K in keyof D & string]: NonNullable<D[K]> extends readonly unknown[]
    ? K
    : NonNullable<D[K]> extends object
      ? K | `${K}.${keyof NonNullable<D[K]> & string}`
      : K;
}[keyof D & string];

export type ReadScope<D = any> = {
  role: Role;
  /** A field of the case's data ... */
  field: DataPath<D> & string;
} & (
  | {
      /** ... that must equal this claim of the caller. */
      claim: 'sub' | 'unit' | 'area';
    }
  | {
      /** ... that must hold this value (the cases of one kind, e.g. one course). */
      equals: string;
    }
);

export interface ProcessDefinition<D = any> {
  name: string;
  label: string;
  description: string;
  /** The Temporal workflow type that runs the process. */
  workflowType: string;
  /** Roles that may start a case; 'any' means every authenticated employee. */
  startRoles: readonly Role[] | 'any';
  startInput: InputSchema;
  /**
   * At most one open case per value of these start fields (e.g. one per employee and course):
   * a second start while one is open is refused with 409 naming it.
   */
  oneOpenCasePer?: readonly string[];
  /**
   * Who may start this case, beyond the role: e.g. a caseworker only for their own unit. Returns
   * why not (403), or undefined.
   */
  startPersonCheck?: (input: Record<string, unknown>, actor: Actor) => string | undefined;
  /** Check on the start payload that spans fields (e.g. deadline after receipt). */
  startCheck?: (input: Record<string, unknown>, now: number) => FieldError[];
  /** Roles that may read every case of the process. */
  readRoles: readonly Role[];
  /** Roles that read a case only when a field of its data matches the caller (the assigned jurist, the handling unit). */
  readScopes?: readonly ReadScope<D>[];
  /**
   * What the person who opened a case sees of it beyond what their roles give them now: its status
   * (a reporter, where PROCESSES.md says a reporter reads what they reported), everything, or
   * nothing (default: access follows the role, so it ends when the role or its scope is lost).
   */
  openerView?: 'full' | 'status' | 'none';
  /** Every read of a case is itself recorded (who, when): for the most sensitive processes. */
  logReads?: boolean;
  /**
   * What survives anonymisation after the retention period: what the reports count (categories,
   * dates, outcomes, units), never names, free text or identifiers. Everything else is removed.
   */
  retainedAfterAnonymisation: readonly DataPath<D>[];
  steps: readonly StepDefinition[];
  initialStep: string;
  actions: readonly ActionDefinition<D>[];
  deadlines: readonly DeadlineDefinition[];
}

// ---------------------------------------------------------------------------------------------
// The definition as types: what a workflow of the process must handle, and with which input.

/** The value a field of this spec holds once its rule has accepted it (instants as ISO strings). */
export type FieldValue<S extends FieldSpec> = S extends { type: 'enum'; values: readonly (infer V)[] }
  ? V
  : S extends { type: 'integer' }
    ? number
    : S extends { type: 'string-array'; values: readonly (infer V)[] }
    ? V[]
    : S extends { type: 'string-array' }
      ? string[]
      : string;

type HeldKeys<S extends InputSchema> = { [K in keyof S]: S[K] extends { heldOutsideWorkflow: object } ? K : never }[keyof S];
type RequiredKeys<S extends InputSchema> = { [K in keyof S]: S[K] extends { required: true } ? K : never }[Exclude<keyof S, HeldKeys<S>>];

/**
 * The payload an input schema accepts, as the workflow receives it: required fields required, the
 * others optional, and a field held outside the workflow only as its `<field>Provided` marker.
 */
export type InputOf<S extends InputSchema> = { -readonly [K in RequiredKeys<S>]: FieldValue<S[K]> } & {
  -readonly [K in Exclude<keyof S, RequiredKeys<S> | HeldKeys<S>>]?: FieldValue<S[K]>;
} & { -readonly [K in HeldKeys<S> & string as `${K}Provided`]?: true };

/** The names of a definition's steps. */
export type StepOf<P extends ProcessDefinition> = P['steps'][number]['name'];

/** The names of a definition's actions. */
export type ActionName<P extends ProcessDefinition> = P['actions'][number]['name'];

/** The start input of a process, as its schema says. */
export type StartInputOf<P extends ProcessDefinition> = InputOf<P['startInput']>;

/**
 * One handler per action of the definition, no more and no fewer: each receives the input its
 * action's schema declares, who acts, and `moveTo`, which takes only a step of the action's
 * `leadsTo`.
 */
export type ActionHandlers<P extends ProcessDefinition> = {
  [A in P['actions'][number] as A['name']]: (input: InputOf<A['input']>, actor: Actor, moveTo: (step: A['leadsTo'][number]) => void) => Promise<void>;
};

/**
 * Declares a process so that its names, steps and schemas keep their literal types (the
 * workflow's handlers are checked against them). Usage: `defineProcess<Data>()({ ... })`.
 */
export function defineProcess<D>() {
  return <const P extends ProcessDefinition<D>>(definition: P): Defined<P, D> => definition;
}

/** A definition declared with defineProcess: its literal type, and the type of its cases' data. */
export type Defined<P, D> = P & { readonly __data?: D };

/** The fields of a process's actions held outside the workflow, by name (the same name in every action). */
export function heldFields(definition: Pick<ProcessDefinition, 'actions'>): Map<string, HeldOutsideWorkflow> {
  return new Map(
    definition.actions.flatMap((a) => Object.entries(a.input).flatMap(([name, spec]) => (spec.heldOutsideWorkflow ? [[name, spec.heldOutsideWorkflow] as const] : []))),
  );
}

/** The data of a process's cases, as its definition declares it. */
export type DataOf<P> = P extends { readonly __data?: infer D } ? NonNullable<D> : Record<string, unknown>;
