import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '@buf/config';
import type { CaseSnapshot } from '@buf/domain';
import { CaseStore } from '@buf/persistence/case-store';
import { createDataSource, runMigrations } from '@buf/persistence/data-source';
import { startEmbeddedPostgres } from '../local/embedded-postgres';
import { freePort } from '../local/processes';
import { BENCH_SETTINGS, argOf, drive, machineLine, ms, percentile, say, writeSection } from './bench-support';

/** Cases per round and side (each case: four journal entries, four transactions). */
const CASES = argOf('--cases') || 3_000;
/** Rounds: the counts kept and not kept alternate, so both sides meet the same load on a shared machine. */
const ROUNDS = argOf('--rounds') || 6;
const { concurrency: CONCURRENCY, output: OUTPUT } = BENCH_SETTINGS;
/** The worker's pool (dataSourceOptions' default). */
const POOL = 10;
const TRIGGERS = ['case_file_counts_follow', 'case_file_counts_move'];

/**
 * `npm run bench -- --case-writes [--cases N] [--rounds R]`: what keeping case_file_counts
 * (1765300000000-case-file-counts) costs the worker's writes. On a throwaway PostgreSQL, CaseStore.recordEvent
 * writes cases as the worker does (opened, reminded, overdue, closed: each a journal entry and the
 * case file in one transaction, 20 in flight over a pool of 10); three of the four writes move the
 * case between counts, and all cases are in one process and area, so every write meets the same
 * few counts rows: more contention than BUF's processes cause. After an uncounted warm-up round, rounds
 * alternate between the counts triggers enabled and disabled; each side's rate is its entries over
 * its summed time. Writes docs/benchmarks.md's case-writes section.
 */
export async function caseWritesBench(): Promise<void> {
  const dataDir = path.join(os.tmpdir(), `buf-bench-writes-pg-${process.pid}-${Date.now()}`);
  const port = await freePort();
  say(`starting a throwaway PostgreSQL on port ${port}`);
  const pg = await startEmbeddedPostgres({ dataDir, port, database: 'buf_bench_writes', throwaway: true, log: say });
  try {
    await runMigrations(pg.url);
    const ds = createDataSource(pg.url, POOL);
    await ds.initialize();
    try {
      const store = new CaseStore(ds);
      const actor = { sub: 'bench-writer', name: 'Kursusimport (HR-system)' };
      const snapshot = (id: string, n: number, status: 'open' | 'closed', overdue: boolean): CaseSnapshot => ({
        id,
        caseNumber: `2026-${String(n).padStart(7, '0')}`,
        process: 'mandatory-training',
        step: status === 'open' ? 'awaiting-completion' : 'closed',
        status,
        overdue,
        area: 'nord',
        openedAt: '2026-11-02T08:00:00.000Z',
        ...(status === 'closed' ? { closedAt: '2026-11-20T08:00:00.000Z' } : {}),
        openedBy: actor,
        deadlines: [],
        data: { course: 'it-security', staffGroup: 'administrative', unit: 'Enhed 1', area: 'nord' },
      });
      let next = 1_000_000;
      const side = { kept: { entries: 0, failed: 0, seconds: 0, latencies: [] as number[] }, off: { entries: 0, failed: 0, seconds: 0, latencies: [] as number[] } };
      const round = async (r: number, kept: boolean, cases = CASES) => {
        for (const trigger of TRIGGERS) await ds.query(`ALTER TABLE case_files ${kept ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
        const t = performance.now();
        const run = await drive(CONCURRENCY, (n) => n >= cases, async () => {
          const n = next++;
          const id = `mandatory-training-2026-${String(n).padStart(7, '0')}`;
          const steps: [action: string, status: 'open' | 'closed', overdue: boolean][] = [
            ['opened', 'open', false],
            ['reminder-sent', 'open', false],
            ['deadline-missed', 'open', true],
            ['completion-registered', 'closed', true],
          ];
          for (const [i, [action, status, overdue]] of steps.entries()) {
            await store.recordEvent({
              caseId: id,
              entry: { seq: i + 1, at: new Date().toISOString(), actor, action },
              snapshot: snapshot(id, n, status, overdue),
              notifications: [],
            });
          }
        });
        const seconds = (performance.now() - t) / 1000;
        if (r < 0) return say(`  warm-up: ${run.done} cases in ${seconds.toFixed(1)} s (not counted)`);
        const s = kept ? side.kept : side.off;
        Object.assign(s, { entries: s.entries + run.done * 4, failed: s.failed + run.failed, seconds: s.seconds + seconds, latencies: [...s.latencies, ...run.latencies] });
        say(`  round ${r + 1}, counts ${kept ? 'kept' : 'not kept'}: ${run.done} cases (${run.done * 4} entries, ${run.failed} failed) in ${seconds.toFixed(1)} s: ${((run.done * 4) / seconds).toFixed(1)} entries/s`);
      };
      say(`case writes: ${ROUNDS} rounds of ${CASES} cases × 4 entries per side, ${CONCURRENCY} in flight on ${POOL} connections, counts kept and not kept alternating`);
      // A first, uncounted round: connections, plans and caches warm for both sides alike.
      await round(-1, true, Math.ceil(CASES / 3));
      for (let r = 0; r < ROUNDS; r++) {
        // kept, off, off, kept, kept, off …: each side goes first as often as the other.
        const first = r % 2 === 0;
        await round(r, Math.floor(r / 2) % 2 === 0 ? first : !first);
      }
      for (const trigger of TRIGGERS) await ds.query(`ALTER TABLE case_files ENABLE TRIGGER ${trigger}`);

      const rate = (s: typeof side.kept) => s.entries / s.seconds;
      const ratio = rate(side.kept) / rate(side.off);
      const table = [
        '| figure | counts kept | counts not kept | kept / not kept |',
        '|---|---|---|---|',
        `| journal entries written per second (${CONCURRENCY} in flight) | ${rate(side.kept).toFixed(1)}/s | ${rate(side.off).toFixed(1)}/s | ${ratio.toFixed(2)}× |`,
        `| one case's four writes, p50 | ${ms(percentile(side.kept.latencies, 50))} | ${ms(percentile(side.off.latencies, 50))} | ${(percentile(side.kept.latencies, 50) / percentile(side.off.latencies, 50)).toFixed(2)}× |`,
        `| one case's four writes, p99 | ${ms(percentile(side.kept.latencies, 99))} | ${ms(percentile(side.off.latencies, 99))} | ${(percentile(side.kept.latencies, 99) / percentile(side.off.latencies, 99)).toFixed(2)}× |`,
      ].join('\n');
      process.stdout.write(`\n${table}\n\n`);
      const section = [
        '## Case writes and the kept case counts',
        '',
        'Written by `npm run bench -- --case-writes [--cases N] [--rounds R]` (`infra/bench/case-writes-bench.ts`): what keeping `case_file_counts` (the case list\'s `total`, kept by a',
        'trigger on `case_files`) costs the worker\'s writes. On a throwaway PostgreSQL, `CaseStore.recordEvent` writes cases as the worker does: opened, reminded, overdue,',
        `closed, each a journal entry and the case file in one transaction, ${CONCURRENCY} cases in flight over a pool of ${POOL} connections. Three of the four writes move the case between`,
        'counts (a step that keeps status, overdue and area skips the trigger), and all cases are in one process and area, so every write meets the same eight counts rows: more',
        'contention than BUF\'s processes cause. After an uncounted warm-up round, R rounds of N cases alternate between the triggers enabled and disabled; each side\'s rate is',
        'its entries over its summed time.',
        'No Temporal server: this is the database side of a case step only.',
        '',
        `- machine: ${machineLine()}`,
        `- date: ${new Date().toISOString()}`,
        `- parameters: ${CASES} cases per round (--cases), ${ROUNDS} rounds (--rounds); failed writes: ${side.kept.failed} with the counts kept, ${side.off.failed} without.`,
        '',
        table,
        '',
      ].join('\n');
      writeSection(OUTPUT, 'case-writes', section);
      say(`wrote the case-writes section of ${path.relative(PROJECT_ROOT, OUTPUT)}`);
    } finally {
      await ds.destroy();
    }
  } finally {
    await pg.stop();
  }
}
