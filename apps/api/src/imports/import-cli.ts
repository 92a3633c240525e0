import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '@buf/config';
import { ConfigModule } from '@buf/config/config.module';
import { PersistenceModule } from '@buf/persistence';
import { TemporalClientModule } from '@buf/temporal';
import { configureFieldRules } from '../cases/input-dtos';
import { ImportFileError, type ImportSummary, TRAINING_IMPORT_ACTOR, TrainingImportService, parseTrainingCsv } from './training-import.service';

/**
 * `npm run import:training -- FILE.csv [--json]`: opens the mandatory-training cases of a CSV
 * file (header and rules: TrainingImportService) against the configured database and Temporal
 * (by default those of a running `npm start`), as TRAINING_IMPORT_ACTOR. Progress on stderr (a bar
 * on a terminal, a line every PROGRESS_EVERY rows otherwise), the summary on stdout (`--json`: all
 * of it as JSON). Exit code 0 when every row is opened, already open or a duplicate; 1 when a row
 * was refused or the file could not be read.
 *
 * IMPORT_CRASH_AFTER_STARTS=N (tests only) kills the process after N workflow starts, as a crash would.
 */
@Module({
  imports: [ConfigModule, PersistenceModule, TemporalClientModule],
  providers: [TrainingImportService],
})
class TrainingImportModule {}

const PROGRESS_EVERY = 1000;

function progressReporter(): { update: (done: number, total: number) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ stream: process.stderr, format: 'import [{bar}] {value}/{total} rows | {eta_formatted} left', hideCursor: true });
    let started = false;
    return {
      update: (done, total) => {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
      stop: () => started && bar.stop(),
    };
  }
  return {
    update: (done, total) => {
      if (done % PROGRESS_EVERY === 0 || done === total) process.stderr.write(`import: ${done}/${total} rows\n`);
    },
    stop: () => undefined,
  };
}

export function formatSummary(summary: ImportSummary): string {
  const lines = [
    `rows: ${summary.rows}`,
    `opened: ${summary.opened}`,
    `already open: ${summary.alreadyOpen}`,
    `duplicates: ${summary.duplicates}${summary.duplicateRows.length ? ` (${summary.duplicateRows.map((d) => `line ${d.line} = line ${d.sameAs}`).join(', ')})` : ''}`,
    `refused: ${summary.refused}`,
    ...summary.refusedRows.map((r) => `  line ${r.line}: ${r.statusCode} ${r.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: npm run import:training -- FILE.csv [--json]\n');
    return 1;
  }
  // npm runs the script in the project folder; the file is named from where npm was called.
  const fullPath = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  let rows;
  try {
    rows = parseTrainingCsv(fs.readFileSync(fullPath, 'utf8'));
  } catch (err) {
    process.stderr.write(`${err instanceof ImportFileError ? err.message : `Cannot read ${fullPath}: ${err instanceof Error ? err.message : String(err)}`}\n`);
    return 1;
  }
  const config = loadConfig();
  configureFieldRules({ areas: config.areas });
  const app = await NestFactory.createApplicationContext(TrainingImportModule, { logger: ['error'] });
  app.enableShutdownHooks();
  const crashAfter = Number(process.env.IMPORT_CRASH_AFTER_STARTS ?? Number.NaN);
  const progress = progressReporter();
  try {
    const summary = await app.get(TrainingImportService).import(rows, TRAINING_IMPORT_ACTOR, {
      onProgress: progress.update,
      afterStart: (started) => {
        if (started >= crashAfter) process.kill(process.pid, 'SIGKILL');
      },
    });
    progress.stop();
    process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
    return summary.refused === 0 ? 0 : 1;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`Import failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
