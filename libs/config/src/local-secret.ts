import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A 32-byte secret kept in a local file, created on first use (mode 0600, under the
 * git-ignored .data folder): the dev-token signing key and the local payload-encryption key
 * of the embedded default. Production configures its keys instead.
 */
export function loadOrCreateLocalSecret(file: string): Uint8Array {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, randomBytes(LOCAL_SECRET_BYTES).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  // A key others can read signs anybody's tokens; a short one is guessable. Refuse both, named.
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(`The local secret ${file} is readable or writable by others (mode ${mode.toString(8)}): chmod 600 it, or delete it to have a new one made`);
  }
  const secret = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  if (secret.length !== LOCAL_SECRET_BYTES) {
    throw new Error(`The local secret ${file} holds ${secret.length} bytes, not ${LOCAL_SECRET_BYTES}: delete it to have a new one made`);
  }
  return new Uint8Array(secret);
}

export const LOCAL_SECRET_BYTES = 32;
