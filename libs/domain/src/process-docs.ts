/**
 * `docs/processes.md`, written from the process definitions: the one description of every
 * process (steps, actions, roles, deadlines with their rules and legal basis, reports) that the
 * code cites. A test fails when the file is stale; `npm run docs:processes` writes it anew.
 */
import { describeBasis, describeRule, policyFigure } from './deadlines';
import { type FieldSpec, MAX_LIST_ITEMS } from './fields';
import { DEFAULT_POLICY } from './policy';
import type { ProcessDefinition } from './process-definition';
import { PROCESS_DEFINITIONS } from './processes';
import { ROLE_LABELS, type Role } from './roles';
import { SCHEDULED_REPORTS, STATISTICS_REPORTS, type ScheduledReport, reportSchedule } from './statistics';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const roles = (list: readonly Role[] | 'any') => (list === 'any' ? 'any employee' : list.map((r) => `\`${r}\``).join(', ') || '—');

function field(name: string, spec: FieldSpec): string {
  const rule: string[] = [spec.type];
  if (spec.type === 'string' && spec.maxLength) rule.push(`≤ ${spec.maxLength} characters`);
  if (spec.type === 'area') rule.push('one of the configured areas (`AREAS`)');
  if (spec.type === 'enum') rule.push(spec.values.map((v) => `\`${v}\``).join(' / '));
  if (spec.type === 'integer' && spec.min !== undefined) rule.push(`≥ ${spec.min}`);
  if (spec.type === 'string-array' && spec.minItems) rule.push(`≥ ${spec.minItems} item(s)`);
  if (spec.type === 'string-array') rule.push(`≤ ${spec.maxItems ?? MAX_LIST_ITEMS} item(s)`);
  if (spec.type === 'datetime' && spec.notInFuture) rule.push('not in the future');
  if (spec.type === 'datetime' && spec.endOfDay) rule.push('a date alone: to its end');
  return `\`${name}\`${spec.required ? '' : '?'} (${rule.join(', ')})`;
}

function processSection(p: ProcessDefinition): string[] {
  const out = [
    `## ${p.label} (\`${p.name}\`)`,
    '',
    p.description,
    '',
    `Started by: ${roles(p.startRoles)}. Read by: ${roles(p.readRoles)}${(p.readScopes ?? []).map((s) => `; \`${s.role}\` where the case's \`${s.field}\` is ${'claim' in s ? `their \`${s.claim}\`` : `\`${s.equals}\``}`).join('')}${p.openerView && p.openerView !== 'none' ? `; who opened a case reads its ${p.openerView === 'status' ? 'status and what they reported' : 'content'}` : ''}${p.logReads ? '; every read is logged' : ''}.`,
    '',
    `Start input: ${Object.entries(p.startInput).map(([n, s]) => field(n, s)).join(', ')}.`,
    '',
    '### Steps',
    '',
    '| step | label |',
    '|---|---|',
    ...p.steps.map((s) => `| \`${s.name}\`${s.name === p.initialStep ? ' (first)' : ''}${s.terminal ? ' (end)' : ''} | ${cell(s.label)} |`),
    '',
    '### Actions',
    '',
    '| action | who | in steps | leads to | input |',
    '|---|---|---|---|---|',
    ...p.actions.map(
      (a) =>
        `| \`${a.name}\` – ${cell(a.label)}${a.limit ? ` (at most ${a.limit.max} per case: ${cell(a.limit.why)})` : ''} | ${roles(a.roles)} | ${a.steps.map((s) => `\`${s}\``).join(', ')} | ${a.leadsTo.map((s) => `\`${s}\``).join(', ') || '(stays)'} | ${Object.entries(a.input).map(([n, s]) => field(n, s)).join(', ') || '—'} |`,
    ),
    '',
    '### Deadlines',
    '',
    '| deadline | rule (default policy) | legal basis | reminders | escalates to |',
    '|---|---|---|---|---|',
    ...p.deadlines.map(
      (d) =>
        `| \`${d.name}\` – ${cell(d.label)} | ${cell(describeRule(d.rule, DEFAULT_POLICY))} | ${cell(describeBasis(d.rule.basis))} | ${(d.reminders ?? []).map((r) => `${r.when} ${typeof r.offsets === 'string' ? `(${r.offsets})` : r.offsets.join(', ')}${r.atHour === undefined ? '' : ` kl. ${typeof r.atHour === 'string' ? `${policyFigure(DEFAULT_POLICY, r.atHour)} (${r.atHour})` : r.atHour}`} → ${roles(r.notify)}`).join('; ') || '—'} | ${d.escalatesTo.map((r) => ROLE_LABELS[r]).join(', ') || '— (the case moves on by itself)'} |`,
    ),
    '',
  ];
  return out;
}

export function processesMarkdown(): string {
  return [
    '# The processes',
    '',
    '<!-- Written by `npm run docs:processes` from libs/domain/src/processes; a test fails when it is stale. Do not edit by hand. -->',
    '',
    'Every deadline counted in days ends at the end of its last day (23:59:59.999 Europe/Copenhagen);',
    'working days skip weekends and Danish public holidays; hours are calendar hours. Figures marked',
    '`Politik (…)` are policy defaults an administrator can configure; a case keeps the policy it was',
    'opened with.',
    '',
    ...PROCESS_DEFINITIONS.flatMap(processSection),
    '## Reports',
    '',
    '| report | what | who |',
    '|---|---|---|',
    ...Object.entries(STATISTICS_REPORTS).map(([name, r]) => `| \`${name}\` | ${cell(r.description)} | ${roles(r.roles)} |`),
    '',
    'Every period is read in Copenhagen time: a date alone is that whole day, a year starts 1 January',
    '00:00 Copenhagen. Complaints count by when they were received, breaches by when they were',
    'discovered (konstateret). A complaint area is compared with its configured baseline count',
    '(`COMPLAINT_BASELINE`: complaints per 6-week period at 1 September 2021) as the difference',
    '(period − baseline) and the ratio (period ÷ baseline; none when the baseline is 0).',
    '',
    '### Scheduled reports',
    '',
    '| report | what | when (Europe/Copenhagen) | to |',
    '|---|---|---|---|',
    ...(Object.keys(SCHEDULED_REPORTS) as ScheduledReport[]).map((name) => {
      const r: { description: string; recipients: readonly Role[]; perPerson?: string } = SCHEDULED_REPORTS[name];
      const to = [...(r.recipients.length ? [roles(r.recipients)] : []), ...(r.perPerson ? [r.perPerson] : [])].join('; ');
      return `| \`${name}\` | ${cell(r.description)} | ${when(name)} | ${to} |`;
    }),
    '',
  ].join('\n');
}

function when(report: ScheduledReport): string {
  const { calendar, everyDays } = reportSchedule(report);
  const two = (n: number) => String(n).padStart(2, '0');
  if (calendar) return `${calendar.month ? `${calendar.dayOfMonth}.${calendar.month}. every year` : `day ${calendar.dayOfMonth} of every month`} at ${two(calendar.hour)}.${two(calendar.minute)}`;
  return `every ${everyDays} days`;
}
