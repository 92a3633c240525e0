import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '../../config/src';
import { createDataConverter } from './data-converter';

/** A Temporal client for the configured server and namespace, encrypting every payload. */
export async function connectClient(config: Pick<AppConfig, 'temporal' | 'encryption'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: '5 seconds' });
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config) });
}
