import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { type Actor, type CaseSnapshot, type ProcessDefinition, PROCESS_DEFINITIONS, allowedActions, findProcess, hasAnyRole, mayRead } from '@buf/domain';
import { CaseStore, type OpenCaseFilter } from '@buf/persistence/case-store';
import { caseVisibility } from './case-visibility';
import type { InboxDeadlineDto, InboxDto, InboxItemDto, InboxQuery } from './inbox.dto';

/** At most this many cases in each section; past it the answer says it is not complete. */
export const INBOX_SECTION_MAX = 100;
/** Open cases read from the case file per query, and at most per section and call. */
const SCAN_BATCH = 200;
const SCAN_MAX = 1_000;

type Section = Pick<OpenCaseFilter, 'inSteps' | 'namingCaller'>;

/**
 * The inbox: the open cases where the caller can act now, and the open cases they follow. What
 * the caller may do is decided by the rules `GET /cases/{id}` uses for its allowed actions
 * (`allowedActions`: roles, step, preconditions, person rules); what they may see by the read rules
 * of `GET /cases`. The case store narrows in SQL to what could qualify: readable, filtered, in a
 * step where one of the caller's roles has an action (or naming the caller), overdue first, then
 * by the nearest pending deadline; it is read in bounded pages and the rules decide each case.
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly store: CaseStore,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  async inbox(query: InboxQuery, actor: Actor): Promise<InboxDto> {
    // Where any action of one of the caller's roles can be taken: a necessary condition, read from the definitions.
    const inSteps = PROCESS_DEFINITIONS.map((p) => ({
      process: p.name,
      steps: [...new Set(p.actions.filter((a) => hasAnyRole(actor, a.roles)).flatMap((a) => a.steps))],
    }));
    // Assigned: a field that a read scope matches against the caller's own sub (the whistleblower's `juristId`).
    const namingCaller = PROCESS_DEFINITIONS.flatMap((p) =>
      (p.readScopes ?? []).flatMap((s) => ('claim' in s && s.claim === 'sub' ? [{ process: p.name, field: s.field as string }] : [])),
    );
    const [actionable, following] = await Promise.all([
      this.section(query, actor, { inSteps }, (item) => item.expected.length > 0),
      this.section(query, actor, { namingCaller }, () => true),
    ]);
    return { actionable: actionable.items, following: following.items, complete: actionable.complete && following.complete, areas: [...this.config.areas] };
  }

  private async section(query: InboxQuery, actor: Actor, section: Section, keep: (item: InboxItemDto) => boolean): Promise<{ items: InboxItemDto[]; complete: boolean }> {
    const items: InboxItemDto[] = [];
    for (let offset = 0; offset < SCAN_MAX; offset += SCAN_BATCH) {
      const page = await this.store.listOpenCases({
        ...caseVisibility(actor),
        ...(query.process !== undefined ? { process: query.process } : {}),
        ...(query.area !== undefined ? { area: query.area } : {}),
        ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
        ...section,
        offset,
        limit: SCAN_BATCH,
      });
      for (const snapshot of page) {
        const definition = findProcess(snapshot.process);
        if (!definition || !mayRead(definition, snapshot, actor)) continue;
        const item = inboxItem(definition, snapshot, actor);
        if (keep(item)) items.push(item);
      }
      if (items.length > INBOX_SECTION_MAX) return { items: sorted(items).slice(0, INBOX_SECTION_MAX), complete: false };
      if (page.length < SCAN_BATCH) return { items: sorted(items), complete: true };
    }
    return { items: sorted(items), complete: false };
  }
}

function inboxItem(definition: ProcessDefinition, s: CaseSnapshot, actor: Actor): InboxItemDto {
  const next = nextOwed(definition, s);
  return {
    id: s.id,
    caseNumber: s.caseNumber,
    process: s.process,
    step: s.step,
    ...(s.area ? { area: s.area } : {}),
    overdue: s.overdue,
    openedAt: s.openedAt,
    ...(next ? { nextDeadline: next } : {}),
    expected: allowedActions(definition, s, actor).map((name) => ({ action: name, label: definition.actions.find((a) => a.name === name)?.label ?? name })),
  };
}

/** The nearest deadline still owed: pending, or missed while what it demands is outstanding (as `isOverdue` reads it). */
function nextOwed(definition: ProcessDefinition, s: CaseSnapshot): InboxDeadlineDto | undefined {
  const owed = s.deadlines.filter((d) => d.state === 'pending' || (d.state === 'missed' && !d.settledAt));
  const [first] = owed.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  if (!first) return undefined;
  const label = definition.deadlines.find((d) => d.name === first.name)?.label ?? first.name;
  return { name: first.name, label, dueAt: first.dueAt, state: first.state === 'missed' ? 'missed' : 'pending' };
}

/** By the nearest deadline still owed, cases without one last; then by case number. */
function sorted(items: InboxItemDto[]): InboxItemDto[] {
  const due = (i: InboxItemDto) => (i.nextDeadline ? Date.parse(i.nextDeadline.dueAt) : Number.POSITIVE_INFINITY);
  return items.sort((a, b) => due(a) - due(b) || a.caseNumber.localeCompare(b.caseNumber));
}
