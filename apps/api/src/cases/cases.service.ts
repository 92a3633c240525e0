import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import { type AppConfig, AppConfigToken } from '@buf/config';
import {
  type Actor,
  CaseErrorCode,
  type CaseErrorDetails,
  type FieldError,
  type ProcessDefinition,
  type StartCaseInput,
  type TakeActionArgs,
  allowedActions,
  caseIdOf,
  copenhagenDate,
  findProcess,
  hasAnyRole,
  heldFields,
  mayRead,
  readAccess,
  mayStart,
  normalizeInput,
  PROCESS_DEFINITIONS,
  scopeMatches,
  withholdFields,
} from '@buf/domain';
import { ConfidentialFieldStore } from '@buf/persistence/confidential-field-store';
import { CaseStore, type StoredCase } from '@buf/persistence/case-store';
import { ClaimsStore, type IdempotencyRecord } from '@buf/persistence/claims-store';
import { ReadLogStore } from '@buf/persistence/read-log-store';
import { caseOpenedUpdate, takeActionUpdate } from '@buf/workflows/messages';
import { CASE_SEARCH_ATTRIBUTES as SA } from '@buf/workflows/search-attributes';
import { CaseException, ServiceUnavailableException, isCaseErrorCode } from '../errors/api-error';
import { caseStartOptions } from './case-start';
import { caseVisibility } from './case-visibility';
import { ACTION_DTOS, START_DTOS, validateBody } from './input-dtos';
import { type CaseDto, type CaseListDto, type ListCasesQuery, toCaseDto, toCaseSummary } from './case.dto';

/**
 * Starts cases and takes actions through Temporal, and reads them from the case file that the
 * workflow keeps in PostgreSQL. Static checks (role, payload) are answered here; everything that
 * depends on the case's current state is decided by the workflow's update validator.
 */
@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);

  constructor(
    @Inject(Client) private readonly temporal: Client,
    private readonly store: CaseStore,
    private readonly claims: ClaimsStore,
    private readonly readLog: ReadLogStore,
    private readonly confidential: ConfidentialFieldStore,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  async start(processName: string, body: unknown, actor: Actor, idempotencyKey?: string, afterStrandedStart = false): Promise<CaseDto> {
    const definition = this.process(processName);
    if (!mayStart(definition, actor)) {
      throw new CaseException(CaseErrorCode.Forbidden, `Starting a ${processName} case requires one of the roles: ${(definition.startRoles as string[]).join(', ')}`);
    }
    const input = normalizeInput(definition.startInput, await this.validated(START_DTOS.get(processName), body));
    const crossField = definition.startCheck?.(input, Date.now()) ?? [];
    if (crossField.length > 0) throw invalid(crossField);
    const notThisPerson = definition.startPersonCheck?.(input as Record<string, unknown>, actor);
    if (notThisPerson) throw new CaseException(CaseErrorCode.Forbidden, notThisPerson);

    const openedAt = new Date();
    let caseNumber: string;
    if (idempotencyKey) {
      const earlier = await this.claims.findIdempotentStart(actor.sub, idempotencyKey);
      if (earlier) refuseOtherUse(idempotencyKey, earlier, { process: processName, action: null });
      if (earlier && (await this.store.findCase(earlier.caseId))) return this.read(earlier.caseId, actor);
      // Concurrent repeats race for the key; the loser takes the winner's case number.
      const claimed = earlier ?? (await this.claims.claimIdempotentStart(actor.sub, idempotencyKey, processName, await this.nextCaseNumber(openedAt)));
      refuseOtherUse(idempotencyKey, claimed, { process: processName, action: null });
      caseNumber = claimed.caseNumber;
    } else {
      caseNumber = await this.nextCaseNumber(openedAt);
    }
    if (definition.oneOpenCasePer) caseNumber = await this.claimOpenCaseKey(definition, input, caseNumber, actor);

    const caseId = caseIdOf(processName, caseNumber);
    const startInput: StartCaseInput = {
      caseId,
      caseNumber,
      openedAt: openedAt.toISOString(),
      actor,
      input,
      policy: this.config.policy,
      areas: this.config.areas,
    };
    try {
      await this.bounded(() => this.temporal.workflow.executeUpdateWithStart(caseOpenedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(definition.workflowType, caseStartOptions(definition, startInput, this.config.temporal.taskQueue)),
      }));
    } catch (err) {
      // A repeat whose case already ran to its end: the case file answers (checked below).
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw (await this.startFailed(caseId, err, actor, idempotencyKey)).error;
    }
    if (!(await this.store.findCase(caseId))) {
      const failed = await this.startFailed(caseId, undefined, actor, idempotencyKey);
      // The claims led to an earlier start's run that ended without a case (not this request's
      // failure): they are released now, so this request starts afresh, once.
      if (failed.released && !afterStrandedStart) return this.start(processName, body, actor, idempotencyKey, true);
      throw failed.error;
    }
    this.logger.log(`Opened case ${caseId}`);
    return this.read(caseId, actor);
  }

  /** Every call to Temporal answers within TEMPORAL_REQUEST_DEADLINE_MS; past it the filter answers 503. */
  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return this.temporal.withDeadline(Date.now() + TEMPORAL_REQUEST_DEADLINE_MS, call);
  }

  /**
   * A start that did not produce a case file. When its run is over (failed, terminated, never
   * begun), what the start claimed is given back so that a correct retry succeeds, and the
   * refusal is said as the workflow said it (400 with the fields) or as a 503. While the run is
   * still going (Temporal slow), the claims stay: a retry with the same key joins that run.
   */
  private async startFailed(caseId: string, err: unknown, actor: Actor, idempotencyKey?: string): Promise<{ error: unknown; released: boolean }> {
    const release = () => this.claims.releaseStartClaims(caseId, idempotencyKey ? { callerSub: actor.sub, key: idempotencyKey } : undefined);
    const refusal = err === undefined ? undefined : this.refusal(err, caseId);
    if (refusal instanceof CaseException) {
      await release();
      return { error: refusal, released: true };
    }
    const handle = this.temporal.workflow.getHandle(caseId);
    const status = await this.bounded(() => handle.describe()).then(
      (d) => d.status.name,
      (e: unknown) => (e instanceof WorkflowNotFoundError ? 'NOT_FOUND' : undefined),
    );
    if (status === undefined || status === 'RUNNING') {
      return { error: err ?? new ServiceUnavailableException(`Case ${caseId} is still being opened; repeat the request with the same Idempotency-Key.`), released: false };
    }
    await release();
    this.logger.warn(`Start of case ${caseId} ended without a case file (workflow ${status}); its claims are released`);
    const failure = await this.bounded(() => handle.result()).then(
      () => undefined,
      (e: unknown) => (e instanceof WorkflowFailedError && e.cause instanceof ApplicationFailure && isCaseErrorCode(e.cause.type) ? e.cause : undefined),
    );
    const error = failure
      ? new CaseException(failure.type as CaseErrorCode, failure.message, failure.details?.[0] as CaseErrorDetails | undefined)
      : new ServiceUnavailableException(`Case ${caseId} could not be opened; nothing was kept, try again.`);
    return { error, released: true };
  }

  /**
   * One open case per key (e.g. employee and course): refuses the start with 409 while another
   * case holding the key is open; joins a start of the same key that is in flight (or whose
   * earlier attempt failed before it was written) by returning that case's number.
   */
  private async claimOpenCaseKey(definition: ProcessDefinition, input: object, caseNumber: string, actor: Actor): Promise<string> {
    const fields = definition.oneOpenCasePer ?? [];
    const values = fields.map((f) => (input as Record<string, unknown>)[f]);
    const keyHash = createHash('sha256').update(JSON.stringify(values)).digest('hex');
    const holder = await this.claims.claimOpenCaseKey(definition.name, keyHash, caseNumber);
    if (holder.holderStatus !== 'open') return holder.caseNumber;
    const open = await this.store.findCase(holder.caseId);
    // The holder's id is said only to whoever may read that case.
    const readable = open !== undefined && mayRead(definition, open.snapshot, actor);
    throw new CaseException(
      CaseErrorCode.Conflict,
      `A ${definition.name} case is already open for this ${fields.join(' and ')}${readable ? `: ${holder.caseId}` : ''}`,
      readable ? { openCaseId: holder.caseId } : undefined,
    );
  }

  async get(caseId: string, actor: Actor): Promise<CaseDto> {
    return this.read(caseId, actor);
  }

  async list(query: ListCasesQuery, actor: Actor): Promise<CaseListDto> {
    const page = await this.store.listCases({
      ...(query.process !== undefined ? { process: query.process } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.area !== undefined ? { area: query.area } : {}),
      ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
      ...caseVisibility(actor),
      page: query.page,
      pageSize: query.pageSize,
    });
    return { items: page.items.map(toCaseSummary), page: query.page, pageSize: query.pageSize, total: page.total };
  }

  async act(caseId: string, actionName: string, body: unknown, actor: Actor, idempotencyKey?: string): Promise<CaseDto> {
    const stored = await this.store.findCase(caseId);
    const definition = stored ? findProcess(stored.snapshot.process) : undefined;
    if (!stored || !definition || !mayRead(definition, stored.snapshot, actor)) throw caseNotFound(caseId);
    const action = definition.actions.find((a) => a.name === actionName);
    if (!action) {
      throw new CaseException(CaseErrorCode.NotFound, `Process ${definition.name} has no action ${actionName}; its actions: ${definition.actions.map((a) => a.name).join(', ')}`);
    }
    if (!hasAnyRole(actor, action.roles)) {
      throw new CaseException(CaseErrorCode.Forbidden, `Action ${actionName} requires one of the roles: ${action.roles.join(', ')}`);
    }
    const input = normalizeInput(action.input, await this.validated(ACTION_DTOS.get(`${definition.name}/${actionName}`), body ?? {}));
    let repeat = false;
    if (idempotencyKey) {
      const claimed = await this.claims.claimIdempotentAction(actor.sub, idempotencyKey, stored.snapshot, actionName);
      refuseOtherUse(idempotencyKey, claimed, { process: definition.name, action: actionName, caseId });
      repeat = claimed.earlier;
    }
    const closed = stored.snapshot.status === 'closed';
    // A retry of the step that closed the case gets the closed case, not a refusal.
    if (closed && repeat && !action.reopens) return this.read(caseId, actor);
    if (closed && !action.reopens) {
      const reopening = allowedActions(definition, stored.snapshot, actor);
      throw new CaseException(
        CaseErrorCode.NotAllowedInStep,
        `The case is closed; ${reopening.length > 0 ? `allowed now, reopening it: ${reopening.join(', ')}` : 'no action is allowed'}.`,
        { step: 'closed', allowedActions: reopening },
      );
    }
    // A field held outside the workflow never reaches Temporal: the workflow gets `<field>Provided: true`.
    const { forWorkflow, withheld } = withholdFields(action.input, input);
    const update = {
      args: [{ action: actionName, input: forWorkflow, actor }] as [TakeActionArgs],
      // A repeated request with the same key is the same update: Temporal applies it once.
      ...(idempotencyKey ? { updateId: updateIdOf(actor.sub, idempotencyKey) } : {}),
    };
    const reopening = closed ? this.reopeningRun(definition, stored, actor, await this.store.grantReopening(caseId)) : undefined;
    try {
      await this.bounded(() =>
        reopening
          ? this.temporal.workflow.executeUpdateWithStart(takeActionUpdate, { ...update, startWorkflowOperation: reopening })
          : this.temporal.workflow.getHandle(caseId).executeUpdate(takeActionUpdate, update),
      );
    } catch (err) {
      throw this.refusal(err, caseId);
    }
    // Stored only once the workflow has accepted the action, so a refused action leaves nothing;
    // an upsert per case and field, so a repeat (same Idempotency-Key: the same update) is harmless.
    if (Object.keys(withheld).length > 0) {
      await this.confidential.put(caseId, withheld).catch((err: unknown) => {
        this.logger.warn(`Confidential field of ${caseId} not stored: ${err instanceof Error ? err.name : 'unknown error'}`);
        throw new ServiceUnavailableException(`The action on ${caseId} was taken but its confidential field could not be stored; repeat the request with the same Idempotency-Key.`);
      });
    }
    return this.read(caseId, actor);
  }

  /**
   * An action that reopens a closed case (its definition says `reopens`): the case's run has ended,
   * so a new run of the same workflow id starts from the case file's last snapshot and journal
   * sequence (as continue-as-new does), and the action is delivered to it in the same request
   * (update-with-start). Should a run of the case still be going, the action goes to that run
   * (USE_EXISTING); the workflow's validator decides either way, so a refused action journals
   * nothing and the new run ends at once with the case still closed. The run takes the policy in
   * force now for the deadlines it starts; deadlines already computed keep their instants. The
   * case file belongs to one run chain: the grant lets the new run take it over (CaseStore).
   */
  private reopeningRun(definition: ProcessDefinition, stored: StoredCase, actor: Actor, reopenGrant: string): WithStartWorkflowOperation<Workflow> {
    const { snapshot, journal } = stored;
    const startInput: StartCaseInput = {
      caseId: snapshot.id,
      caseNumber: snapshot.caseNumber,
      openedAt: snapshot.openedAt,
      actor,
      input: {},
      policy: this.config.policy,
      // The journal in the case file may be ahead of the last run (e.g. an entry written by retention).
      // The grant, written to the case file just now, lets this new run take the case over.
      continued: { snapshot, seq: journal.at(-1)?.seq ?? 0, reopenGrant },
    };
    return new WithStartWorkflowOperation<Workflow>(definition.workflowType, {
      workflowId: snapshot.id,
      taskQueue: this.config.temporal.taskQueue,
      args: [startInput],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // The earlier run completed when the case closed: a new run of the same id is allowed.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: SA.process, value: snapshot.process },
        { key: SA.caseNumber, value: snapshot.caseNumber },
        { key: SA.step, value: snapshot.step },
        { key: SA.overdue, value: false },
      ],
    });
  }

  private async read(caseId: string, actor: Actor): Promise<CaseDto> {
    const stored = await this.store.findCase(caseId);
    const definition = stored ? findProcess(stored.snapshot.process) : undefined;
    // A case the caller may not read answers exactly like a case that does not exist.
    const access = stored && definition ? readAccess(definition, stored.snapshot, actor) : 'none';
    if (!stored || !definition || access === 'none') throw caseNotFound(caseId);
    if (definition.logReads) await this.readLog.recordRead(caseId, actor);
    const dto = toCaseDto(definition, stored.snapshot, stored.journal, actor, access);
    // A field held outside the workflow is shown only to the one its definition names (the assigned jurist).
    const readable = access === 'full' ? [...heldFields(definition)].filter(([, held]) => scopeMatches(held.readableBy, stored.snapshot, actor)).map(([name]) => name) : [];
    if (readable.length > 0) dto.data = { ...dto.data, ...(await this.confidential.read(caseId, readable)) };
    return dto;
  }

  private process(name: string): ProcessDefinition {
    const definition = findProcess(name);
    if (!definition) {
      throw new CaseException(CaseErrorCode.NotFound, `Unknown process ${name}; known: ${PROCESS_DEFINITIONS.map((p) => p.name).join(', ')}`);
    }
    return definition;
  }

  private async validated(dto: ReturnType<typeof START_DTOS.get>, body: unknown): Promise<Record<string, unknown>> {
    if (!dto) throw new Error('No DTO for this input');
    const errors = await validateBody(dto, body);
    if (errors.length > 0) throw invalid(errors);
    return body as Record<string, unknown>;
  }

  private nextCaseNumber(openedAt: Date): Promise<string> {
    return this.claims.nextCaseNumber(copenhagenDate(openedAt.getTime()).year);
  }

  /** Turns the workflow's refusal (an ApplicationFailure of a CaseErrorCode type) into HTTP. */
  private refusal(err: unknown, caseId: string): unknown {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && isCaseErrorCode(err.cause.type)) {
      const details = err.cause.details?.[0] as CaseErrorDetails | undefined;
      return new CaseException(err.cause.type, err.cause.message, details);
    }
    if (err instanceof WorkflowNotFoundError) {
      return new CaseException(CaseErrorCode.NotAllowedInStep, 'The case is closed; no action is allowed.', { step: 'closed', allowedActions: [] });
    }
    this.logger.warn(`Action on ${caseId} failed: ${err instanceof Error ? err.name : 'unknown error'}`);
    return err;
  }
}

/** How long a request waits on Temporal before it answers 503: long enough for a worker restarted mid-request to pick the case up again (sticky queue timeout, replay). */
export const TEMPORAL_REQUEST_DEADLINE_MS = 60_000;

/** A key stands for one start or one action on one case; any other use of it is refused with 409. */
/**
 * The Temporal update id of a keyed request: one caller's key, never another's. A hash of the
 * pair, encoded so that no two pairs meet (a plain `sub:key` made `a` + `b:c` and `a:b` + `c` the
 * same update, and Temporal would apply only the first).
 */
export function updateIdOf(sub: string, idempotencyKey: string): string {
  return `action-${createHash('sha256').update(JSON.stringify([sub, idempotencyKey])).digest('hex')}`;
}

function refuseOtherUse(key: string, used: IdempotencyRecord, wanted: { process: string; action: string | null; caseId?: string }): void {
  const same = used.process === wanted.process && used.action === wanted.action && (wanted.caseId === undefined || used.caseId === wanted.caseId);
  if (same) return;
  const before = used.action ? `action ${used.action} on case ${used.caseId}` : `starting a ${used.process} case`;
  throw new CaseException(CaseErrorCode.Conflict, `Idempotency-Key ${key} was already used for ${before}`);
}

function invalid(fields: FieldError[]): CaseException {
  return new CaseException(CaseErrorCode.InvalidInput, fields.map((f) => f.message).join('; '), { fields });
}

function caseNotFound(caseId: string): CaseException {
  return new CaseException(CaseErrorCode.NotFound, `No case ${caseId}`);
}
