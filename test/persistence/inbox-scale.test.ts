import type { DataSource } from 'typeorm';
import type { AppConfig } from '@buf/config';
import type { Actor } from '@buf/domain';
import { CaseStore } from '@buf/persistence/case-store';
import { createDataSource } from '@buf/persistence/data-source';
import { INBOX_SECTION_MAX, InboxService } from '../../apps/api/src/cases/inbox.service';
import { createIsolatedDatabase } from '../support/service';

const OPEN_BREACHES = 10_000;

/**
 * The inbox stays bounded however many open cases there are: a GDPR person reads every breach,
 * so with 10,000 open breaches (a database of its own) the inbox reads a bounded page of case
 * files, not all of them, and says it is not complete.
 */
describe('the inbox at 10,000 open cases', () => {
  let ds: DataSource;
  let store: CaseStore;
  let inbox: InboxService;
  const rowsRead: number[] = [];

  beforeAll(async () => {
    ds = createDataSource(await createIsolatedDatabase('inbox_scale'), 2);
    await ds.initialize();
    // Breaches in step `reported`, each discovered one minute after the one before; the 72-hour deadline pending.
    await ds.query(`
      WITH g AS (SELECT i, timestamptz '2026-11-28T00:00:00Z' + make_interval(mins => i) AS discovered FROM generate_series(1, ${OPEN_BREACHES}) AS i),
           c AS (SELECT i, 'data-breach-2026-' || lpad(i::text, 7, '0') AS id, '2026-' || lpad(i::text, 7, '0') AS nr,
                        to_char((discovered + interval '72 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS due, discovered FROM g)
      INSERT INTO case_files (id, case_number, process, step, status, overdue, area, opened_at, opened_by, next_deadline_at, snapshot, last_seq)
      SELECT id, nr, 'data-breach', 'reported', 'open', false, 'nord', discovered, 'scale-eva', discovered + interval '72 hours',
             jsonb_build_object('id', id, 'caseNumber', nr, 'process', 'data-breach', 'step', 'reported', 'status', 'open', 'overdue', false,
               'area', 'nord', 'openedAt', to_char(discovered AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'openedBy', jsonb_build_object('sub', 'scale-eva', 'name', 'Eva'),
               'deadlines', jsonb_build_array(jsonb_build_object('name', 'datatilsynet-72h', 'dueAt', due, 'state', 'pending')),
               'data', jsonb_build_object('unit', 'Skole Nord', 'description', repeat('Elevliste sendt forkert. ', 40), 'dataCategories', jsonb_build_array('navn'), 'channel', 'serviceportal')),
             1
      FROM c`);
    await ds.query('ANALYZE case_files');
    store = new CaseStore(ds);
    const listOpenCases = store.listOpenCases.bind(store);
    store.listOpenCases = async (filter) => {
      const page = await listOpenCases(filter);
      rowsRead.push(page.length);
      return page;
    };
    inbox = new InboxService(store, { areas: ['nord', 'syd'] } as unknown as AppConfig);
  }, 120_000);

  afterAll(async () => {
    await ds?.destroy();
  });

  const gdpr: Actor = { sub: 'scale-gitte', name: 'Gitte', roles: ['gdpr'] };
  const reporter: Actor = { sub: 'scale-eva', name: 'Eva', roles: ['employee'] };

  it('given 10,000 open breaches, when the GDPR function and the reporter open the inbox, then each section reads one page of case files, shows the 100 with the nearest deadlines, and says it is not complete', async () => {
    rowsRead.length = 0;
    const started = performance.now();
    const forGdpr = await inbox.inbox({}, gdpr);
    const gdprMs = performance.now() - started;
    expect(forGdpr.actionable).toHaveLength(INBOX_SECTION_MAX);
    expect(forGdpr.complete).toBe(false);
    expect(forGdpr.actionable[0]).toMatchObject({ caseNumber: '2026-0000001', nextDeadline: { dueAt: '2026-12-01T00:01:00.000Z' } }); // tirsdag 01.12.2026 kl. 01.01
    expect(forGdpr.actionable[99].caseNumber).toBe('2026-0000100');
    expect(forGdpr.following).toEqual([]);
    // One page of 200 for the actions (enough for 100), one empty page for what she follows.
    expect(rowsRead.sort((a, b) => a - b)).toEqual([0, 200]);

    rowsRead.length = 0;
    const forReporter = await inbox.inbox({}, reporter);
    expect(forReporter.actionable).toEqual([]);
    expect(forReporter.following).toHaveLength(INBOX_SECTION_MAX);
    expect(rowsRead.sort((a, b) => a - b)).toEqual([0, 200]);
    process.stdout.write(`inbox at ${OPEN_BREACHES} open cases: GDPR function ${gdprMs.toFixed(0)} ms\n`);
  });

  it('given filters that match few of them, when the inbox is asked, then SQL narrows it and it is complete', async () => {
    rowsRead.length = 0;
    const none = await inbox.inbox({ area: 'syd' }, gdpr);
    expect(none).toMatchObject({ actionable: [], following: [], complete: true });
    expect(rowsRead).toEqual([0, 0]);
  });
});
