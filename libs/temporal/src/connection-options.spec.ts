import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@buf/config';
import { temporalConnectionOptions } from './connection-options';

describe('how the service connects to Temporal, from TEMPORAL_TLS* and TEMPORAL_API_KEY', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buf-temporal-tls-'));
  const file = (name: string, content: string) => {
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };
  const ca = file('ca.pem', 'CA');
  const cert = file('client.pem', 'CERT');
  const key = file('client.key', 'KEY');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('given nothing set, when connecting, then plaintext (the embedded default on loopback)', () => {
    expect(temporalConnectionOptions(loadConfig({}).temporal)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('given a Temporal Cloud API key, when connecting, then TLS with the system CAs and the key', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'buf-prod.abcde.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'buf-prod.abcde', TEMPORAL_API_KEY: 'secret-key' });
    expect(temporalConnectionOptions(config.temporal)).toEqual({ address: 'buf-prod.abcde.tmprl.cloud:7233', tls: true, apiKey: 'secret-key' });
  });

  it('given a CA, a client certificate and a server name (mutual TLS), when connecting, then the files are read into the TLS settings', () => {
    const config = loadConfig({ TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: cert, TEMPORAL_TLS_KEY_FILE: key, TEMPORAL_TLS_SERVER_NAME: 'temporal.buf.kk.dk' });
    expect(temporalConnectionOptions(config.temporal)).toEqual({
      address: '127.0.0.1:7233',
      tls: { serverNameOverride: 'temporal.buf.kk.dk', serverRootCACertificate: Buffer.from('CA'), clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } },
    });
    expect(temporalConnectionOptions(loadConfig({ TEMPORAL_TLS: 'true' }).temporal)).toEqual({ address: '127.0.0.1:7233', tls: true });
  });

  it('given a certificate without its key, a missing file, or TLS switched off beside an API key, when loaded, then the configuration is refused naming the variable', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_FILE: cert })).toThrow(/TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together/);
    expect(() => loadConfig({ TEMPORAL_TLS_CA_FILE: path.join(dir, 'absent.pem') })).toThrow(/TEMPORAL_TLS_CA_FILE: no file at/);
    expect(() => loadConfig({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' })).toThrow(/TEMPORAL_TLS=false contradicts/);
    expect(() => loadConfig({ TEMPORAL_TLS: 'yes' })).toThrow(/TEMPORAL_TLS must be true or false/);
  });

  it('given WORKER_BUILD_ID, when loaded, then the worker is versioned in the named deployment (default buf-case-workflows); without it unversioned', () => {
    expect(loadConfig({}).workerVersion).toBeUndefined();
    expect(loadConfig({ WORKER_BUILD_ID: '2026.12.01-1' }).workerVersion).toEqual({ deploymentName: 'buf-case-workflows', buildId: '2026.12.01-1' });
    expect(() => loadConfig({ WORKER_BUILD_ID: 'has space' })).toThrow(/WORKER_BUILD_ID/);
  });
});
