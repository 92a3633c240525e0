import { loadConfig } from '@buf/config';
import { runMigrations } from './data-source';

/** `npm run migration:run`: applies the migrations to DATABASE_URL. */
async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await runMigrations(config.databaseUrl);
  process.stdout.write(applied.length ? `Applied migrations: ${applied.join(', ')}\n` : 'The schema is up to date.\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`Migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
