import * as fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { TemporalSettings } from '@buf/config';

/**
 * How the API's client and the worker connect to Temporal, from the configuration: plaintext on
 * loopback (the embedded default), TLS to a self-hosted frontend (its CA, the name on its
 * certificate), mutual TLS (a client certificate, as Temporal Cloud's mTLS namespaces need), or a
 * Temporal Cloud API key over TLS. One function for both, so they always connect alike.
 */
export function temporalConnectionOptions(settings: Pick<TemporalSettings, 'address' | 'tls' | 'apiKey'>): { address: string; tls?: TLSConfig | boolean; apiKey?: string } {
  if (!settings.tls) return { address: settings.address };
  const { caFile, certFile, keyFile, serverName } = settings.tls;
  const tls: TLSConfig = {
    ...(serverName ? { serverNameOverride: serverName } : {}),
    ...(caFile ? { serverRootCACertificate: fs.readFileSync(caFile) } : {}),
    ...(certFile && keyFile ? { clientCertPair: { crt: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) } } : {}),
  };
  return { address: settings.address, tls: Object.keys(tls).length > 0 ? tls : true, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) };
}
