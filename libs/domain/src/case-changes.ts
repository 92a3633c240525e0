import type { CaseSnapshot } from './case';

/**
 * What one journal entry changed in the case snapshot, so a step hands persistence what changed,
 * not the whole case: a top-level field of the snapshot or of its `data` set, removed, or a list
 * grown at its end (a repeated action appends one entry; the list is not sent again).
 */
export type CaseChange =
  | { op: 'set'; path: ChangePath; value: unknown }
  | { op: 'unset'; path: ChangePath }
  | { op: 'append'; path: ChangePath; values: unknown[] };

/** A field of the snapshot (`['step']`) or of its data (`['data', 'handling']`). */
export type ChangePath = [string] | ['data', string];

type Json = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The changes that turn `before` into `after` (both plain JSON), in a stable order. */
export function snapshotChanges(before: CaseSnapshot, after: CaseSnapshot): CaseChange[] {
  const changes: CaseChange[] = [];
  const compare = (from: Json, to: Json, path: (key: string) => ChangePath, skip?: string) => {
    for (const key of Object.keys(from)) {
      if (key !== skip && !(key in to)) changes.push({ op: 'unset', path: path(key) });
    }
    for (const [key, value] of Object.entries(to)) {
      if (key === skip || (key in from && same(from[key], value))) continue;
      const old = from[key];
      const grown = Array.isArray(old) && Array.isArray(value) && value.length > old.length && old.every((item, i) => same(item, value[i]));
      changes.push(grown ? { op: 'append', path: path(key), values: value.slice(old.length) } : { op: 'set', path: path(key), value });
    }
  };
  compare(before as unknown as Json, after as unknown as Json, (key) => [key], 'data');
  const fromData = before.data as Json | undefined;
  const toData = after.data as Json | undefined;
  if (isObject(fromData) && isObject(toData)) compare(fromData, toData, (key) => ['data', key]);
  else if (!same(fromData, toData)) changes.push({ op: 'set', path: ['data'], value: toData });
  return changes;
}

/** The snapshot with the changes applied (a copy; `snapshot` is left as it was). */
export function applySnapshotChanges(snapshot: CaseSnapshot, changes: readonly CaseChange[]): CaseSnapshot {
  const result = JSON.parse(JSON.stringify(snapshot)) as Json;
  for (const change of changes) {
    const [first, second] = change.path;
    const parent = (second === undefined ? result : (result[first] ??= {})) as Json;
    const key = second ?? first;
    if (change.op === 'unset') delete parent[key];
    else if (change.op === 'set') parent[key] = change.value;
    else parent[key] = [...(Array.isArray(parent[key]) ? (parent[key] as unknown[]) : []), ...change.values];
  }
  return result as unknown as CaseSnapshot;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
