import type { TokenClaims } from '@buf/auth';
import { eventually } from '../support/polling';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const PEOPLE = {
  jurist: { sub: 'jur-st-1', name: 'Jonas Jurist', roles: ['jurist'] },
  arcLead: { sub: 'arc-st-1', name: 'Annette ARC-chef', roles: ['arc-lead'] },
} satisfies Record<string, TokenClaims>;

/**
 * Access-request timeliness as the law measures it: the share decided within 7 working days is
 * taken over every request whose 7 working days have passed (or that was decided), so a request
 * still open after its deadline counts as late. A database of its own, so that the counts are
 * this file's only.
 */
describe('access-request timeliness statistics (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let as: Record<keyof typeof PEOPLE, Caller>;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('access-statistics-e2e', { DATABASE_URL: await createIsolatedDatabase('access-statistics') });
    as = await service.callers(PEOPLE);
  });

  afterAll(async () => {
    await service?.stop();
  });

  const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  const decision = { outcome: 'full', complaintGuidance: 'Du kan klage over afgørelsen, jf. offentlighedsloven § 37.' };

  async function open(receivedAt: string): Promise<string> {
    const res = service.expectStatus(
      await as.jurist.start('access-request', { receivedAt, requester: 'Karen Borger', requesterType: 'citizen', request: 'Referater', area: 'vest' }),
      201,
    );
    return res.body.id as string;
  }

  async function act(caseId: string, action: string, body: Record<string, unknown> = {}): Promise<any> {
    return service.expectStatus(await as.jurist.act(caseId, action, body), 200).body;
  }

  it('given a request decided late, one still open after its deadline, one decided in time and one not yet due, when the report is read, then the share in time is 1 of the 3 that are due', async () => {
    // Decided late: received 20 days ago, overdue at once; the deadline letter, then the decision.
    const late = await open(iso(-20 * DAY));
    await eventually('the late request escalates', async () => (await as.jurist.get(`/cases/${late}`)).body.overdue === true);
    await act(late, 'register-documents', { count: 2 });
    await act(late, 'send-deadline-letter', { reason: 'Mange dokumenter', expectedBy: iso(5 * DAY) });
    expect((await act(late, 'decide', decision)).data.decidedWithinDeadline).toBe(false);
    // Still open, its deadline passed.
    const open_ = await open(iso(-20 * DAY));
    await eventually('the open request escalates', async () => (await as.jurist.get(`/cases/${open_}`)).body.overdue === true);
    // Decided in time.
    const inTime = await open(iso(-HOUR));
    await act(inTime, 'register-documents', { count: 1 });
    expect((await act(inTime, 'decide', decision)).data.decidedWithinDeadline).toBe(true);
    // Not yet due, not decided: not measured.
    await open(iso(-HOUR));

    const report = service.expectStatus(await as.arcLead.get(`/statistics/access-requests?from=${iso(-30 * DAY).slice(0, 10)}`), 200).body;
    expect(report).toMatchObject({ received: 4, decided: 2, due: 3, decidedWithinDeadline: 1 });
    expect(report.shareWithinDeadline).toBeCloseTo(1 / 3, 10);
  });
});
