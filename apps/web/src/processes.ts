import { useEffect, useState } from 'react';
import { api } from './api';

export interface FieldSpecView {
  type: 'string' | 'datetime' | 'enum' | 'integer' | 'string-array' | 'area';
  required?: boolean;
  description?: string;
  values?: string[];
  maxLength?: number;
  min?: number;
  max?: number;
  [more: string]: unknown;
}

export interface ProcessView {
  name: string;
  label: string;
  description: string;
  startRoles: string[];
  startInput: Record<string, FieldSpecView>;
  readRoles: string[];
  steps: { name: string; label: string; terminal?: boolean }[];
  initialStep: string;
  actions: { name: string; label: string; description?: string; roles: string[]; steps: string[]; leadsTo: string[]; input: Record<string, FieldSpecView>; reopens?: boolean }[];
  deadlines: { name: string; label: string; description: string; rule: string; legalBasis: string; escalatesTo: string[] }[];
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
