import { type ActionDefinition, type FieldSpec, type InputSchema, type ProcessDefinition, validateInput } from '@buf/domain';

/**
 * The fuzzer's set-up walks (infra/local/fuzz.ts): for each action of each process, a case of its
 * own, opened and walked through the API to a step where that action is allowed now, so that the
 * generated requests for the action reach a case in which it can run.
 *
 * The walk is read off the definition and the API, not written per process: the definition's
 * steps and `leadsTo` give, for every step, how many actions away the steps of the wanted action
 * are; the API's case read gives the actions each caller may take now (step, roles, preconditions
 * and person rules). The walk takes, among the actions allowed now, the one that leads closest to
 * the wanted action, with the first body the field rules accept (every value of an enum is tried,
 * and optional fields with and without a value). A move that leads nowhere closer is remembered
 * and the walk starts over on a new case; so is a body that proves wrong only once taken (a
 * complaint classified as handled here when it must be put to the citizen). Cases are opened once
 * with dates just past and once with dates long past (a rule that needs time to have passed, such
 * as the § 39 complaint about an access request's processing time, holds only on those).
 */

export interface Caller {
  /** The bearer token. */
  token: string;
  /** The caller's claims that person rules compare a case with. */
  sub: string;
  unit?: string;
  area?: string;
}

interface CaseView {
  id: string;
  step: string;
  status: string;
  allowedActions: string[];
  journal: { seq: number; action: string }[];
  deadlines: { state: string; dueAt: string }[];
}

interface Answer {
  status: number;
  body: { id?: string; message?: string } & Partial<CaseView>;
}

/** When the case's dates lie: just past, or long enough past that every time-based rule holds (§ 39: more than 14 working days). */
export type Dating = 'recent' | 'long-past';
const DATINGS: readonly Dating[] = ['recent', 'long-past'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A walk that has not found its way after this many cases gives up (the run then says which action was never reached). */
const MAX_CASES_PER_WALK = 24;
const MAX_MOVES = 16;
const MAX_BODIES = 48;

export class Walker {
  /** The journal's last entry when each walked case was handed to the fuzzer: what came after is the fuzzer's. */
  readonly setUpUntil = new Map<string, number>();

  constructor(
    private readonly base: string,
    /** The fuzz caller first (every walked case must allow the action to it); others help where a rule needs a second person. */
    readonly callers: readonly Caller[],
    private readonly say: (line: string) => void,
  ) {}

  /** The API's answer to a request as one caller. */
  async call(caller: Caller, method: 'GET' | 'POST', route: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${this.base}${route}`, {
      method,
      headers: { authorization: `Bearer ${caller.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  }

  /** Opens a case as the fuzz caller with a body every field rule accepts. */
  async open(p: ProcessDefinition, dating: Dating): Promise<string> {
    const { status, body } = await this.call(this.callers[0], 'POST', `/api/v1/cases/${p.name}`, startBody(p, this.callers[0], dating));
    if (status !== 201 || !body.id) throw new Error(`could not open a ${p.name} case: ${status} ${body.message ?? ''}`);
    return body.id;
  }

  /**
   * The case as a caller reads it, once the deadlines already due have been handled (a case opened
   * with dates long past has deadlines that are missed at once; the rules read their state).
   */
  async view(caller: Caller, id: string): Promise<CaseView | undefined> {
    for (let tries = 0; ; tries += 1) {
      const { status, body } = await this.call(caller, 'GET', `/api/v1/cases/${id}`);
      if (status !== 200) return undefined;
      const view = body as CaseView;
      const unsettled = view.deadlines.some((d) => d.state === 'pending' && Date.parse(d.dueAt) < Date.now());
      if (!unsettled || tries >= 50) return view;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** `count` cases of process `p` in each of which `action` is allowed to the fuzz caller now (fewer when the walk cannot find its way). */
  async casesFor(p: ProcessDefinition, action: ActionDefinition, count: number): Promise<string[]> {
    const distance = distancesTo(p, action);
    const dead = new Set<string>();
    const found: string[] = [];
    for (let attempt = 0; attempt < MAX_CASES_PER_WALK && found.length < count; attempt += 1) {
      const dating = DATINGS[attempt % DATINGS.length];
      const path = [dating];
      if (dead.has(path.join(' > '))) continue;
      const id = await this.open(p, dating);
      const walked = await this.walk(p, action.name, id, path, distance, dead);
      if (walked) found.push(id);
    }
    if (found.length < count) this.say(`set-up: ${p.name} ${action.name}: found ${found.length} of ${count} cases after ${MAX_CASES_PER_WALK} tries`);
    return found;
  }

  /** Walks case `id` towards a step where `target` is allowed; false when this case cannot get there (`dead` learns why). */
  private async walk(p: ProcessDefinition, target: string, id: string, path: string[], distance: Map<string, number>, dead: Set<string>): Promise<boolean> {
    for (let moves = 0; moves <= MAX_MOVES; moves += 1) {
      const views = await Promise.all(this.callers.map((c) => this.view(c, id)));
      const [own] = views;
      if (!own) return false;
      if (own.allowedActions.includes(target)) {
        this.setUpUntil.set(id, own.journal.at(-1)?.seq ?? 0);
        return true;
      }
      const here = distance.get(own.step) ?? Infinity;
      let moved = false;
      for (const move of candidates(p, views, this.callers, distance, here)) {
        const key = [...path, move.key].join(' > ');
        // An action that moves the case is taken once per walk; one that stays in its step once per body.
        if (dead.has(key) || path.includes(move.key) || (!move.staying && path.some((k) => k.startsWith(`${move.caller.sub}:${move.action}#`)))) continue;
        const { status } = await this.call(move.caller, 'POST', `/api/v1/cases/${id}/actions/${move.action}`, move.body);
        // Refused: the case is as it was; the next body or action is tried on it.
        if (status !== 200) {
          dead.add(key);
          continue;
        }
        const after = await this.view(this.callers[0], id);
        const there = after ? (distance.get(after.step) ?? Infinity) : Infinity;
        if (there > here) {
          // Taken, and it led away: this case is spent; the next one leaves this move out.
          dead.add(key);
          return false;
        }
        path.push(move.key);
        moved = true;
        break;
      }
      if (!moved) {
        dead.add(path.join(' > '));
        return false;
      }
    }
    dead.add(path.join(' > '));
    return false;
  }
}

interface Move {
  caller: Caller;
  action: string;
  body: Record<string, unknown>;
  /** Names the move within a walk's path. */
  key: string;
  /** The action stays in its step (leadsTo is empty). */
  staying: boolean;
}

/**
 * The moves allowed now, those that lead closest to the wanted action first; among equals, those
 * that stay in the step (what the wanted action may wait for: a briefing, a complaint) first.
 */
function candidates(p: ProcessDefinition, views: (CaseView | undefined)[], callers: readonly Caller[], distance: Map<string, number>, here: number): Move[] {
  const moves: { move: Move; score: number; order: number }[] = [];
  views.forEach((view, i) => {
    for (const name of view?.allowedActions ?? []) {
      const action = p.actions.find((a) => a.name === name);
      if (!action) continue;
      // An action that stays in its step (a briefing, a deadline letter) may be what the wanted one waits for.
      const staying = action.leadsTo.length === 0;
      const score = staying ? here : Math.min(...action.leadsTo.map((s) => distance.get(s) ?? Infinity));
      if (score === Infinity) continue;
      bodies(action.input, callers[i], p).forEach((body, b) => {
        moves.push({ move: { caller: callers[i], action: name, body, key: `${callers[i].sub}:${name}#${b}`, staying }, score, order: moves.length });
      });
    }
  });
  return moves.sort((a, b) => a.score - b.score || Number(b.move.staying) - Number(a.move.staying) || a.order - b.order).map((m) => m.move);
}

/**
 * For every step, the fewest actions that lead from it to a step in which `target` can be taken
 * (by the definition's `steps` and `leadsTo`; preconditions are the API's to say).
 */
export function distancesTo(p: ProcessDefinition, target: ActionDefinition): Map<string, number> {
  const distance = new Map<string, number>(target.steps.map((s) => [s, 0]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of p.actions) {
      const next = Math.min(...a.leadsTo.map((s) => distance.get(s) ?? Infinity));
      for (const s of a.steps) {
        if (next + 1 < (distance.get(s) ?? Infinity)) {
          distance.set(s, next + 1);
          changed = true;
        }
      }
    }
  }
  return distance;
}

let unique = 0;

/**
 * The value a field's rule accepts for this caller: a field that a person rule of the process
 * compares with a claim (the assigned jurist, the handling unit) holds the caller's claim.
 */
function values(field: string, spec: FieldSpec, caller: Caller, p: ProcessDefinition, dating: Dating, starting: boolean): unknown[] {
  const claim = p.readScopes?.find((s) => s.field === field && 'claim' in s);
  if (claim && 'claim' in claim && spec.type === 'string') {
    const value = caller[claim.claim];
    if (value) return [value];
  }
  const now = Date.now();
  switch (spec.type) {
    case 'string':
      // Unique, for a process that allows one open case per value (an employee and a course).
      unique += 1;
      return [`fuzz-${field}-${now}-${unique}`];
    case 'area':
      return caller.area ? [caller.area] : [];
    case 'datetime':
      // An employment that began before the instant the OpenAPI document gives as every
      // date-time's example (12.06.2026, apps/api/src/cases/input-dtos.ts), so that a completion
      // dated with that example falls within it and `complete` can be taken.
      if (field === 'employedFrom') return ['2026-01-01'];
      if (!spec.notInFuture) return [new Date(now + 20 * DAY).toISOString()];
      return [new Date(starting && dating === 'long-past' ? now - 60 * DAY : now - (starting ? HOUR : 1_000)).toISOString()];
    case 'enum':
      return [...spec.values];
    case 'integer':
      return [spec.min ?? 1];
    case 'string-array':
      return [spec.example ? [...spec.example] : spec.values ? [spec.values[0]] : [`fuzz-${field}`]];
  }
}

/** The start body: the first value of each field. */
export function startBody(p: ProcessDefinition, caller: Caller, dating: Dating): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(p.startInput).flatMap(([field, spec]) => values(field, spec, caller, p, dating, true).slice(0, 1).map((v) => [field, v])),
  );
}

/**
 * Bodies of an action: every combination of values, optional fields with a value before those
 * without (at most MAX_BODIES), less those the field rules refuse (a field another requires).
 */
export function bodies(input: InputSchema, caller: Caller, p: ProcessDefinition): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [field, spec] of Object.entries(input)) {
    const options: unknown[] = [...values(field, spec, caller, p, 'recent', false), ...(spec.required ? [] : [undefined])];
    out = out.flatMap((body) => options.map((v) => (v === undefined ? body : { ...body, [field]: v }))).slice(0, MAX_BODIES);
  }
  return out.filter((body) => validateInput(input, body, Date.now(), { areas: caller.area ? [caller.area] : [] }).length === 0);
}
