import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { parse } from 'csv-parse/sync';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { type Actor, CaseErrorCode, caseIdOf, copenhagenDate, mandatoryTrainingDefinition, mayRead, mayStart } from '@buf/domain';
import { ClaimsStore, type OpenCaseKeyHolder } from '@buf/persistence/claims-store';
import { type ApiErrorBody, CaseException, ServiceUnavailableException, errorBody } from '../errors/api-error';
import { isUnavailable } from '../errors/api-exception.filter';
import { checkedStartInput, invalidInput, newCaseStartInput, newCaseStartOptions, openCaseKeyHash } from '../cases/case-start';

const definition = mandatoryTrainingDefinition;

/** The header of an import file: the start fields of a mandatory-training case, in any order. */
export const TRAINING_IMPORT_COLUMNS: readonly string[] = Object.keys(definition.startInput);

/** Starts in flight at once: the concurrency `npm run bench` measures raw `workflow.start` at. */
export const IMPORT_START_CONCURRENCY = 20;

/** Rows checked, claimed and numbered together: one query and one statement each per batch. */
export const IMPORT_BATCH_ROWS = 500;

/**
 * Who the CLI (and the benchmark) imports as: a system identity with the role of
 * Ledelsessekretariatet, which opens training cases for every area; each case's journal names
 * the import as the one who opened it.
 */
export const TRAINING_IMPORT_ACTOR: Actor = { sub: 'system:training-import', name: 'Kursusimport (HR-system)', roles: ['ledelsessekretariat'] };

/** One data row of the file: its line in the file (the header is line 1) and its non-empty cells by column. */
export interface ImportRow {
  line: number;
  cells: Record<string, string>;
  /** Set when the row has another number of cells than the header: it is refused, the others go on. */
  cellCount?: string;
}

/** A row that opened no case, and why: the error the API answers the same start with. */
export interface RefusedRow extends ApiErrorBody {
  line: number;
}

export interface ImportSummary {
  /** Data rows in the file. */
  rows: number;
  opened: number;
  alreadyOpen: number;
  /** Rows that repeat an earlier row of the same file exactly: counted once, by the earlier row. */
  duplicates: number;
  refused: number;
  openedCases: { line: number; caseId: string }[];
  /** The open case of the employee and course (its id when the importer may read it). */
  alreadyOpenCases: { line: number; caseId?: string }[];
  duplicateRows: { line: number; sameAs: number }[];
  refusedRows: RefusedRow[];
}

export interface ImportOptions {
  /** Called as rows are decided (opened, already open, duplicate or refused). */
  onProgress?: (done: number, total: number) => void;
  /** Called after each workflow start Temporal accepted (the CLI's crash knob for tests). */
  afterStart?: (started: number) => void;
}

/** The file cannot be read as an import (not CSV, wrong header): nothing was imported. */
export class ImportFileError extends Error {}

/**
 * The rows of a CSV import file (RFC 4180, UTF-8, a header row naming the columns). Cells are
 * trimmed; an empty cell is a field not given (the field rules then say whether it is required).
 */
export function parseTrainingCsv(text: string): ImportRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, info: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as unknown as typeof records;
  } catch (err) {
    throw new ImportFileError(`The file is not readable as CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  const [header, ...data] = records;
  if (!header) throw new ImportFileError(`The file is empty; its first line names the columns: ${TRAINING_IMPORT_COLUMNS.join(',')}`);
  const columns = header.record;
  const unknown = columns.filter((c) => !TRAINING_IMPORT_COLUMNS.includes(c));
  const missing = TRAINING_IMPORT_COLUMNS.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (unknown.length > 0 || missing.length > 0 || repeated.length > 0) {
    const problems = [
      ...(unknown.length ? [`unknown column ${unknown.join(', ')}`] : []),
      ...(missing.length ? [`missing column ${missing.join(', ')}`] : []),
      ...(repeated.length ? [`column ${repeated.join(', ')} twice`] : []),
    ];
    throw new ImportFileError(`Line 1 (header): ${problems.join('; ')}. The header is ${TRAINING_IMPORT_COLUMNS.join(',')} (any order)`);
  }
  return data.map(({ record, info }) => ({
    // csv-parse counts lines to the record's end: a quoted cell spanning lines began that many lines before.
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0),
    cells: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''] as const).filter(([, v]) => v !== '')),
    ...(record.length !== columns.length ? { cellCount: `The row has ${record.length} cells; the header names ${columns.length}` } : {}),
  }));
}

/** A row that passed the start rules, on its way to a case. */
interface Admitted {
  line: number;
  input: Record<string, unknown>;
  keyHash: string;
}

/** A start to make: a new case number, or the number of an earlier start of the same key that has no case file yet. */
interface PlannedStart extends Admitted {
  caseNumber: string;
  openedAt: Date;
  joined: boolean;
}

/**
 * Opens mandatory-training cases from a file, for the CLI (`npm run import:training`) and the
 * endpoint (`POST /api/v1/imports/training`): each row by the API's own start rules
 * (checkedStartInput: the DTO's field rules, the cross-field check, the importer's role and
 * area) and its one-open-case rule (open_case_keys), in batches: one query for who holds the
 * batch's keys, one statement for its case numbers, one for its claims; then the workflows are
 * started with the API's start input, IMPORT_START_CONCURRENCY at a time. A row that fails never
 * stops the others. Safe to run again: a key claimed by an earlier run (cut off before or after
 * its start) is started under the same case id, which Temporal starts once.
 */
@Injectable()
export class TrainingImportService {
  private readonly logger = new Logger(TrainingImportService.name);

  constructor(
    @Inject(Client) private readonly temporal: Client,
    private readonly claims: ClaimsStore,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {}

  /** Refuses an importer who may open no training case at all (403), before any row is read. */
  assertMayImport(actor: Actor): void {
    if (!mayStart(definition, actor)) {
      throw new CaseException(CaseErrorCode.Forbidden, `Importing ${definition.name} cases requires one of the roles: ${(definition.startRoles as readonly string[]).join(', ')}`);
    }
  }

  async import(rows: readonly ImportRow[], actor: Actor, options: ImportOptions = {}): Promise<ImportSummary> {
    this.assertMayImport(actor);
    const summary: ImportSummary = { rows: rows.length, opened: 0, alreadyOpen: 0, duplicates: 0, refused: 0, openedCases: [], alreadyOpenCases: [], duplicateRows: [], refusedRows: [] };
    let decided = 0;
    const progress = () => options.onProgress?.(++decided, rows.length);
    const refuse = (line: number, error: unknown) => {
      summary.refusedRows.push({ line, ...refusalBody(error) });
      progress();
    };
    const alreadyOpen = (line: number, holder: Pick<OpenCaseKeyHolder, 'caseId' | 'snapshot'>) => {
      // The holder's id is said only to whoever may read that case, as the API's 409 does.
      const readable = mayRead(definition, holder.snapshot ?? { openedBy: { sub: '', name: '' }, data: {} }, actor);
      summary.alreadyOpenCases.push({ line, ...(readable ? { caseId: holder.caseId } : {}) });
      progress();
    };

    // 1. The start rules, row by row; a key repeated in the file counts once.
    const admitted: Admitted[] = [];
    const firstOfKey = new Map<string, { line: number; input: string }>();
    for (const row of rows) {
      let input: Record<string, unknown>;
      try {
        if (row.cellCount) throw invalidInput([{ field: '(row)', message: row.cellCount }]);
        input = await checkedStartInput(definition, row.cells, actor);
      } catch (err) {
        refuse(row.line, err);
        continue;
      }
      const keyHash = openCaseKeyHash(definition, input);
      const first = firstOfKey.get(keyHash);
      if (first === undefined) {
        firstOfKey.set(keyHash, { line: row.line, input: JSON.stringify(input) });
        admitted.push({ line: row.line, input, keyHash });
      } else if (first.input === JSON.stringify(input)) {
        summary.duplicateRows.push({ line: row.line, sameAs: first.line });
        progress();
      } else {
        refuse(row.line, new CaseException(CaseErrorCode.Conflict, `Line ${first.line} of this file already opens the ${definition.name} case for this ${(definition.oneOpenCasePer ?? []).join(' and ')}, with other data`));
      }
    }

    // 2. Per batch: who holds the keys, new numbers and claims for the rest; the next batch is
    // prepared while this one's workflows start.
    const batches: Admitted[][] = [];
    for (let i = 0; i < admitted.length; i += IMPORT_BATCH_ROWS) batches.push(admitted.slice(i, i + IMPORT_BATCH_ROWS));
    const prepare = async (batch: Admitted[]): Promise<PlannedStart[]> => {
      const openedAt = new Date();
      const planned: PlannedStart[] = [];
      const plan = (row: Admitted, holder: OpenCaseKeyHolder): void => {
        if (holder.holderStatus === 'open') alreadyOpen(row.line, holder);
        else planned.push({ ...row, caseNumber: holder.caseNumber, openedAt, joined: holder.holderStatus === 'unwritten' });
      };
      const holders = await this.claims.openCaseKeyHolders(definition.name, batch.map((r) => r.keyHash));
      const unheld = batch.filter((r) => {
        const holder = holders.get(r.keyHash);
        if (holder === undefined || holder.holderStatus === 'closed') return true;
        plan(r, holder);
        return false;
      });
      const numbers = await this.claims.nextCaseNumbers(copenhagenDate(openedAt.getTime()).year, unheld.length);
      const claimed = await this.claims.claimOpenCaseKeys(definition.name, unheld.map((r, i) => ({ keyHash: r.keyHash, caseNumber: numbers[i] })));
      for (const r of unheld) plan(r, claimed.get(r.keyHash) as OpenCaseKeyHolder);
      return planned;
    };
    async function* planned(): AsyncGenerator<PlannedStart> {
      let next = batches.length > 0 ? prepare(batches[0]) : undefined;
      for (let i = 0; next !== undefined; i++) {
        const ready = await next;
        next = i + 1 < batches.length ? prepare(batches[i + 1]) : undefined;
        yield* ready;
      }
    }

    // 3. The starts, IMPORT_START_CONCURRENCY at a time. Once Temporal is unreachable the rows
    // left are not tried (each would wait out the client's retries): they are refused with 503,
    // and their claims stay for the next run, which starts the same cases.
    let started = 0;
    let unreachable = false;
    const starts = planned();
    await Promise.all(
      Array.from({ length: IMPORT_START_CONCURRENCY }, async () => {
        for (let next = await starts.next(); !next.done; next = await starts.next()) {
          const row = next.value;
          const outcome: Awaited<ReturnType<TrainingImportService['startCase']>> = unreachable
            ? { kind: 'refused', error: new ServiceUnavailableException(`Temporal is unreachable: case ${caseIdOf(definition.name, row.caseNumber)} was not started; run the import again (it starts the same case).`) }
            : await this.startCase(row, actor);
          if (outcome.kind === 'refused' && outcome.unreachable) unreachable = true;
          if (outcome.kind === 'opened') {
            summary.openedCases.push({ line: row.line, caseId: outcome.caseId });
            options.afterStart?.(++started);
            progress();
          } else if (outcome.kind === 'already-open') {
            alreadyOpen(row.line, { caseId: outcome.caseId });
          } else {
            refuse(row.line, outcome.error);
          }
        }
      }),
    );

    const byLine = <T extends { line: number }>(a: T, b: T) => a.line - b.line;
    summary.openedCases.sort(byLine);
    summary.alreadyOpenCases.sort(byLine);
    summary.duplicateRows.sort(byLine);
    summary.refusedRows.sort(byLine);
    summary.opened = summary.openedCases.length;
    summary.alreadyOpen = summary.alreadyOpenCases.length;
    summary.duplicates = summary.duplicateRows.length;
    summary.refused = summary.refusedRows.length;
    this.logger.log(`Training import by ${actor.sub}: ${summary.rows} rows, ${summary.opened} opened, ${summary.alreadyOpen} already open, ${summary.duplicates} duplicates, ${summary.refused} refused`);
    return summary;
  }

  /**
   * One workflow start, as the API starts the case (the same start input and options), without
   * waiting for the worker: the case file follows as for any start. A start under an id Temporal
   * already has is an earlier run's (this import cut off, or the API): the case is there, unless
   * that run ended without one, whose claim is then given back for the next run.
   */
  private async startCase(row: PlannedStart, actor: Actor): Promise<{ kind: 'opened'; caseId: string } | { kind: 'already-open'; caseId: string } | { kind: 'refused'; error: unknown; unreachable?: boolean }> {
    const startInput = newCaseStartInput(definition.name, row.caseNumber, row.openedAt, actor, row.input, this.config);
    const caseId = startInput.caseId;
    try {
      await this.temporal.workflow.start(definition.workflowType, { ...newCaseStartOptions(definition, startInput, this.config.temporal.taskQueue), workflowIdConflictPolicy: 'FAIL' });
      return { kind: 'opened', caseId };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        this.logger.warn(`Start of ${caseId} failed: ${err instanceof Error ? err.name : 'unknown error'}`);
        return {
          kind: 'refused',
          error: new ServiceUnavailableException(`Temporal did not take the start of case ${caseId}; run the import again (it starts the same case).`),
          unreachable: isUnavailable(err),
        };
      }
    }
    const status = await this.temporal.workflow.getHandle(caseId).describe().then(
      (d) => d.status.name,
      (e: unknown) => (e instanceof WorkflowNotFoundError ? 'NOT_FOUND' : undefined),
    );
    if (status === 'RUNNING' || status === 'COMPLETED' || status === 'CONTINUED_AS_NEW' || status === undefined) return { kind: 'already-open', caseId };
    await this.claims.releaseStartClaims(caseId);
    return { kind: 'refused', error: new ServiceUnavailableException(`An earlier start of case ${caseId} ended without a case file (workflow ${status}); it is released: run the import again.`) };
  }
}

function refusalBody(error: unknown): ApiErrorBody {
  if (error instanceof CaseException || error instanceof ServiceUnavailableException) return error.getResponse() as ApiErrorBody;
  return errorBody(503, 'The row could not be imported; run the import again.');
}
