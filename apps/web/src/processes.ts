import { useEffect, useState } from 'react';
import { api } from './api';

export interface FieldSpecView {
  type: 'string' | 'datetime' | 'enum' | 'integer' | 'string-array' | 'area';
  /** What staff read beside the field (Danish). */
  label: string;
  required?: boolean;
  description?: string;
  values?: string[];
  /** Each named value as staff read it (Danish). */
  valueLabels?: Record<string, string>;
  notInFuture?: boolean;
  endOfDay?: boolean;
  dateOnly?: boolean;
  minItems?: number;
  maxItems?: number;
  heldOutsideWorkflow?: unknown;
  maxLength?: number;
  min?: number;
  max?: number;
  [more: string]: unknown;
}

export interface ProcessView {
  name: string;
  label: string;
  description: string;
  startRoles: string[] | 'any';
  startInput: Record<string, FieldSpecView>;
  readRoles: string[];
  steps: { name: string; label: string; terminal?: boolean }[];
  initialStep: string;
  actions: ActionView[];
  deadlines: { name: string; label: string; description: string; rule: string; legalBasis: string; escalatesTo: string[] }[];
}

export interface ActionView {
  name: string;
  label: string;
  description?: string;
  roles: string[];
  steps: string[];
  leadsTo: string[];
  input: Record<string, FieldSpecView>;
  reopens?: boolean;
}

let cached: Promise<ProcessView[]> | undefined;

/** The process definitions as the API describes them (labels, steps, actions, input schemas). */
export function useProcesses(): ProcessView[] | undefined {
  const [processes, setProcesses] = useState<ProcessView[]>();
  useEffect(() => {
    cached ??= api.get<ProcessView[]>('/processes').catch((err: unknown) => {
      cached = undefined;
      throw err;
    });
    let live = true;
    cached.then((p) => live && setProcesses(p), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return processes;
}

export const stepLabel = (p: ProcessView | undefined, step: string): string => p?.steps.find((s) => s.name === step)?.label ?? step;

export const actionLabel = (p: ProcessView | undefined, action: string): string => p?.actions.find((a) => a.name === action)?.label ?? action;

/** A field's label wherever the definition names it (the start form or an action's form); else its name. */
export function fieldLabel(p: ProcessView | undefined, field: string): string {
  if (!p) return field;
  for (const schema of [p.startInput, ...p.actions.map((a) => a.input)]) {
    const spec = schema[field];
    if (spec?.label) return spec.label;
  }
  return field;
}

/** Whether this person may start a case of the process (its start roles: 'any' or a list). */
export function mayStart(p: ProcessView, roles: readonly string[]): boolean {
  return p.startRoles === 'any' || p.startRoles.some((r) => roles.includes(r));
}
