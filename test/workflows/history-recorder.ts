import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor, ScheduledReport } from '@buf/domain';
import { caseOpenedUpdate, takeActionUpdate } from '@buf/workflows/messages';
import { notification } from '../support/data-breach-fixtures';
import { WORKFLOW_BUNDLE_FILE } from '../support/paths';
import { DAY, RecordedCase, startInput } from '../support/time-skipping';

/**
 * Drives one representative case of every process to its end on the time-skipping server (with
 * RecordedCase activities) and writes each finished workflow's history as a JSON fixture, for
 * test/workflows/replay.test.ts. Runs only when asked (RECORD_HISTORIES=1, see replay.test.ts).
 */

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

/** What a fixture file holds: the process it stands for and the finished workflow's history. */
export interface HistoryFixture {
  process: string;
  scenario: string;
  workflowType: string;
  workflowId: string;
  recordedAt: string;
  history: unknown;
}

/** The scheduled reports are not a case process; their fixture goes under this name. */
export const SCHEDULED_REPORT_PROCESS = 'scheduled-report';

type Act = (action: string, actor: Actor, input?: Record<string, unknown>) => Promise<void>;

interface Scenario {
  process: string;
  scenario: string;
  workflowType: string;
  opener: Actor;
  /** The start input, given the test server's current time. */
  input: (now: number) => Record<string, unknown>;
  /** Waits for the opening to be written (the workflows that support update-with-start). */
  awaitOpened?: boolean;
  drive: (act: Act, env: TestWorkflowEnvironment) => Promise<void>;
}

const iso = (t: number) => new Date(t).toISOString();

const secretariat: Actor = { sub: 'ls-1', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] };
const arcLead: Actor = { sub: 'arc-1', name: 'Anders ARC', roles: ['arc-lead'] };
const jurist: Actor = { sub: 'jur-1', name: 'Julie Jurist', roles: ['jurist'] };
const caseworker: Actor = { sub: 'cw-1', name: 'Carl Sagsbehandler', roles: ['caseworker'], unit: 'Skole A' };
const reporter: Actor = { sub: 'emp-1', name: 'Eva Ansat', roles: ['employee'] };
const gdpr: Actor = { sub: 'gdpr-1', name: 'Gitte GDPR', roles: ['gdpr'] };
const klageenhed: Actor = { sub: 'ke-1', name: 'Karen Klageenhed', roles: ['klageenhed'] };
const registrar: Actor = { sub: 'cw-3', name: 'Cecilie Sagsbehandler', roles: ['caseworker'], unit: 'Skole Nord' };
const fagligtCenter: Actor = { sub: 'fc-1', name: 'Frida Fagligt Center', roles: ['fagligt-center'] };
const areaChief: Actor = { sub: 'oc-1', name: 'Olga Områdechef', roles: ['area-chief'], area: 'syd' };
const hrChief: Actor = { sub: 'hr-1', name: 'Hanne HR', roles: ['hr-chief'] };
const TRAINING_UNIT = 'Børnehuset Mælkebøtten';
const institutionLeader: Actor = { sub: 'il-1', name: 'Inge Institutionsleder', roles: ['institution-leader'], unit: TRAINING_UNIT };

const SCENARIOS: readonly Scenario[] = [
  {
    process: 'whistleblower',
    scenario: 'reply-sent-brg-answered-closed',
    workflowType: 'whistleblowerWorkflow',
    opener: secretariat,
    input: (now) => ({
      brgReference: 'BRG-2026-17',
      subject: 'Indberetning om forhold på en skole',
      summary: 'BRG beder om en udtalelse',
      handlingUnit: 'Skole A',
      area: 'nord',
      receivedAt: iso(now),
      replyDeadline: iso(now + 30 * DAY),
    }),
    drive: async (act, env) => {
      await act('assign-jurist', arcLead, { juristId: jurist.sub });
      await act('record-direktion-briefing', secretariat, { occasion: 'receipt' });
      await act('submit-draft', caseworker, { documentRef: 'DOK-1', summary: 'Udkast til udtalelse' });
      await act('return-draft', jurist, { comment: 'Præciser sagsforløbet' });
      await act('submit-draft', caseworker, { documentRef: 'DOK-2', summary: 'Udkast til udtalelse' });
      await act('approve-draft', jurist, { comment: 'Godkendt' });
      await act('record-direktion-briefing', secretariat, { occasion: 'reply' });
      await env.sleep(25 * DAY);
      await act('send-reply', secretariat, { documentRef: 'SVAR-1' });
      await env.sleep(5 * DAY);
      await act('register-brg-response', secretariat, { summary: 'BRG har bemærkninger' });
      await act('record-direktion-briefing', secretariat, { occasion: 'brg-response' });
      await act('close', secretariat, { reason: 'Færdigbehandlet' });
    },
  },
  {
    process: 'whistleblower',
    scenario: 'further-reply-with-new-deadline-closed',
    workflowType: 'whistleblowerWorkflow',
    opener: secretariat,
    input: (now) => ({
      brgReference: 'BRG-2026-18',
      subject: 'Indberetning om forhold på en skole',
      summary: 'BRG beder om en udtalelse',
      handlingUnit: 'Skole A',
      receivedAt: iso(now),
      replyDeadline: iso(now + 20 * DAY),
    }),
    drive: async (act, env) => {
      await act('assign-jurist', arcLead, { juristId: jurist.sub });
      await act('record-direktion-briefing', secretariat, { occasion: 'receipt' });
      await act('submit-draft', caseworker, { documentRef: 'DOK-1', summary: 'Udkast til udtalelse' });
      await act('approve-draft', jurist, {});
      await act('record-direktion-briefing', secretariat, { occasion: 'reply' });
      await act('send-reply', secretariat, { documentRef: 'SVAR-1' });
      await env.sleep(3 * DAY);
      await act('register-brg-response', secretariat, { summary: 'BRG beder om uddybning' });
      await act('record-direktion-briefing', secretariat, { occasion: 'brg-response' });
      await act('request-further-reply', secretariat, { replyDeadline: iso((await env.currentTimeMs()) + 10 * DAY) });
      // The second round's deadline passes (reminders, escalation) before the reply is sent.
      await env.sleep(11 * DAY);
      await act('submit-draft', caseworker, { documentRef: 'DOK-2', summary: 'Uddybning' });
      await act('approve-draft', jurist, {});
      await act('record-direktion-briefing', secretariat, { occasion: 'reply' });
      await act('send-reply', secretariat, { documentRef: 'SVAR-2' });
      await act('close', secretariat, { reason: 'BRG har fået uddybningen' });
    },
  },
  {
    process: 'data-breach',
    scenario: 'high-risk-notified-closed',
    workflowType: 'dataBreachWorkflow',
    opener: reporter,
    input: (now) => ({ discoveredAt: iso(now), unit: 'Skole A', description: 'Elevliste sendt til forkert modtager', dataCategories: ['navn'], channel: 'serviceportal' }),
    drive: async (act, env) => {
      await env.sleep(30 * 3_600_000);
      await act('triage', gdpr, { outcome: 'breach', reason: 'Personoplysninger sendt til uvedkommende' });
      await act('assess-risk', gdpr, { risk: 'high', rationale: 'Følsomme oplysninger om børn' });
      await act('notify-datatilsynet', gdpr, notification('DT-2026-1'));
      await act('notify-data-subjects', gdpr, { method: 'Brev i e-Boks', count: 24 });
      await act('close', gdpr, { summary: 'Anmeldt og de registrerede underrettet' });
    },
  },
  {
    process: 'complaint',
    scenario: 'acknowledged-handled-answered',
    workflowType: 'complaintWorkflow',
    opener: registrar,
    input: () => ({ channel: 'phone', area: 'nord', unit: 'Skole Nord', unitType: 'school', subject: 'Forælder klager over manglende svar fra lærer' }),
    drive: async (act, env) => {
      await act('acknowledge', klageenhed, { note: 'Kvittering sendt pr. mail' });
      await act('classify', klageenhed, { category: 'conduct' });
      await env.sleep(10 * DAY);
      await act('record-handling', klageenhed, { method: 'meeting', note: 'Møde med skoleleder og forælder' });
      await act('answer', klageenhed, { lawfulHandling: 'partly', outcome: 'Delvist medhold', learningPoint: 'Svar forældre inden for en uge' });
    },
  },
  {
    process: 'complaint',
    scenario: 'acknowledgement-missed-escalated-answered',
    workflowType: 'complaintWorkflow',
    opener: registrar,
    input: () => ({ channel: 'email', area: 'nord', unit: 'Skole Nord', unitType: 'school', subject: 'Forælder klager over skolens kommunikation' }),
    drive: async (act, env) => {
      await env.sleep(10 * DAY);
      await act('acknowledge', klageenhed, { note: 'Kvittering sendt for sent' });
      await act('classify', klageenhed, { category: 'case-handling' });
      await act('record-handling', klageenhed, { method: 'written', note: 'Skriftlig redegørelse fra skolen' });
      await act('answer', klageenhed, { lawfulHandling: 'yes', outcome: 'Ikke medhold', learningPoint: 'Kvitter inden for fristen' });
    },
  },
  {
    process: 'bullying-complaint',
    scenario: 'admitted-decided-accepted-closed',
    workflowType: 'bullyingComplaintWorkflow',
    opener: fagligtCenter,
    input: () => ({ school: 'Skole Vest', area: 'vest', complainant: 'parent', handledLocallyFirst: 'yes', grounds: ['no-action-plan', 'no-temporary-measures'] }),
    drive: async (act, env) => {
      await act('assess-admissibility', fagligtCenter, { admissible: 'yes', reason: 'Behandlet lokalt af skolen' });
      await env.sleep(5 * DAY);
      await act('decide', fagligtCenter, { outcome: 'partly-upheld', reasoning: 'Midlertidige tiltag manglede' });
      await act('register-response', fagligtCenter, { satisfied: 'yes' });
      await act('close', fagligtCenter, { note: 'Klager tilfreds' });
    },
  },
  {
    process: 'access-request',
    scenario: 'documents-collected-partial-access-closed',
    workflowType: 'accessRequestWorkflow',
    opener: jurist,
    awaitOpened: true,
    input: (now) => ({ receivedAt: iso(now), requester: 'Journalist på dagblad', requesterType: 'journalist', request: 'Korrespondance om skolesammenlægning', area: 'nord' }),
    drive: async (act, env) => {
      await act('request-documents', jurist, { fromUnit: 'Område Nord' });
      await env.sleep(2 * DAY);
      await act('register-documents', jurist, { count: 4 });
      await act('decide', jurist, { outcome: 'partial', legalGrounds: 'Offentlighedsloven § 30, nr. 1', complaintGuidance: 'Klagevejledning efter offentlighedsloven § 37' });
      await act('close', jurist, {});
    },
  },
  {
    process: 'taskforce',
    scenario: 'approved-reviewed-restored-closed',
    workflowType: 'taskforceWorkflow',
    opener: areaChief,
    input: () => ({ unit: 'Børnehuset Solsikken', area: 'syd', unitType: 'daycare', challenges: 'Samarbejdsvanskeligheder i personalegruppen' }),
    drive: async (act, env) => {
      await act('approve', areaChief, { note: 'Enig' });
      await act('approve', hrChief);
      await act('log-action', hrChief, { note: 'Dialogmøde med personalegruppen' });
      await env.sleep(10 * DAY);
      await act('record-review', areaChief, { assessment: 'Samarbejdet bedres langsomt' });
      await act('restore-stability', areaChief, { summary: 'Samarbejdet fungerer igen' });
      await act('close', areaChief, { note: 'Afsluttet' });
    },
  },
  {
    process: 'mandatory-training',
    scenario: 'completed-then-employment-ended',
    workflowType: 'mandatoryTrainingWorkflow',
    opener: secretariat,
    input: (now) => ({ employeeId: 'emp-4711', course: 'it-security', staffGroup: 'administrative', employedFrom: iso(now), unit: TRAINING_UNIT, area: 'nord' }),
    drive: async (act, env) => {
      await env.sleep(20 * DAY);
      await act('complete', institutionLeader, { completedAt: iso((await env.currentTimeMs()) - 3_600_000) });
      await env.sleep(30 * DAY);
      await act('end-employment', secretariat, { endedAt: iso((await env.currentTimeMs()) - 3_600_000) });
    },
  },
];

/** The history as plain JSON (protobuf field names, enums by name, 64-bit integers and bytes as strings). */
function historyToObject(history: temporal.api.history.v1.IHistory): unknown {
  return temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), { longs: String, enums: String, bytes: String });
}

/** The fixture's history as the replay worker takes it. */
export function historyOf(fixture: HistoryFixture): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(fixture.history as Record<string, unknown>);
}

/**
 * Histories recorded with workflow code from before a patched change (the running cases the
 * patch keeps working): the current code cannot record them again, so re-recording keeps them.
 */
export const HISTORIES_OF_EARLIER_CODE: readonly string[] = [
  // Before bullying-dismissal-response-window and bullying-forwarding-deadline (December 2026).
  'bullying-complaint--dismissed-closed.json',
  'bullying-complaint--rejected-dissatisfied-forwarded-closed.json',
  'bullying-complaint--partly-upheld-silent-forwarded-closed.json',
];

/** Replaces the fixtures with these (only once every scenario has finished, so a failed recording leaves the old ones). */
function writeFixtures(fixtures: readonly HistoryFixture[]): string[] {
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  const replaced = fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json') && !HISTORIES_OF_EARLIER_CODE.includes(f));
  for (const old of replaced) fs.rmSync(path.join(HISTORIES_DIR, old));
  return fixtures.map(writeFixture);
}

function writeFixture(fixture: HistoryFixture): string {
  const file = path.join(HISTORIES_DIR, `${fixture.process}--${fixture.scenario}.json`);
  fs.writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
  return file;
}

async function fixtureOf(handle: WorkflowHandle, meta: Omit<HistoryFixture, 'history' | 'workflowId' | 'recordedAt'>): Promise<HistoryFixture> {
  const history = await handle.fetchHistory();
  return { ...meta, workflowId: handle.workflowId, recordedAt: new Date().toISOString(), history: historyToObject(history) };
}

/** Records one finished case of every process (and one scheduled report run); returns the files written. */
export async function recordHistories(env: TestWorkflowEnvironment): Promise<string[]> {
  const recordedFixtures: HistoryFixture[] = [];
  for (const s of SCENARIOS) {
    const recorded = new RecordedCase();
    const taskQueue = `record-${s.process}-${s.scenario}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: { codePath: WORKFLOW_BUNDLE_FILE },
      activities: recorded.activities,
    });
    const handle = await worker.runUntil(async () => {
      const now = await env.currentTimeMs();
      const args = startInput(s.process, s.opener, s.input(now), new Date(now));
      const started = await env.client.workflow.start(s.workflowType, { workflowId: args.caseId, taskQueue, args: [args] });
      if (s.awaitOpened) await started.executeUpdate(caseOpenedUpdate);
      else await env.sleep(1_000);
      const act: Act = (action, actor, input = {}) => started.executeUpdate(takeActionUpdate, { args: [{ action, input, actor }] });
      await s.drive(act, env);
      await started.result();
      return started;
    });
    const last = recorded.last().snapshot;
    if (last.status !== 'closed') throw new Error(`${s.process} did not close (step ${last.step})`);
    recordedFixtures.push(await fixtureOf(handle, { process: s.process, scenario: s.scenario, workflowType: s.workflowType }));
  }

  const report: ScheduledReport = 'training-monthly';
  const taskQueue = 'record-scheduled-report';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: { codePath: WORKFLOW_BUNDLE_FILE },
    activities: { sendScheduledReport: async () => 3 },
  });
  const handle = await worker.runUntil(async () => {
    const started = await env.client.workflow.start('scheduledReportWorkflow', { workflowId: `report-${report}-recorded`, taskQueue, args: [report] });
    await started.result();
    return started;
  });
  recordedFixtures.push(await fixtureOf(handle, { process: SCHEDULED_REPORT_PROCESS, scenario: report, workflowType: 'scheduledReportWorkflow' }));
  return writeFixtures(recordedFixtures);
}
