import { parseArgs } from 'node:util';
import { loadConfig } from '@buf/config';
import { ROLES, isRole } from '@buf/domain';
import { loadOrCreateLocalSecret as loadOrCreateDevSecret } from '@buf/config/local-secret';
import { mintDevToken } from './tokens';

/** `npm run --silent token -- --sub ID --name NAME --roles r1,r2 [--unit U] [--area A]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      name: { type: 'string' },
      roles: { type: 'string', default: 'employee' },
      unit: { type: 'string' },
      area: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
    },
  });
  if (!values.sub) throw new Error('--sub is required');
  const roles = (values.roles ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) throw new Error(`Unknown role(s): ${unknown.join(', ')}. Known: ${ROLES.join(', ')}`);
  const config = loadConfig();
  if (config.nodeEnv === 'production') throw new Error('Dev tokens are not available with NODE_ENV=production');
  const token = await mintDevToken(loadOrCreateDevSecret(config.devKeyFile), {
    sub: values.sub,
    name: values.name ?? values.sub,
    roles,
    ...(values.unit ? { unit: values.unit } : {}),
    ...(values.area ? { area: values.area } : {}),
  }, values.ttl);
  process.stdout.write(`${token}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
