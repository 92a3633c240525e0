import type { DataConverter } from '@temporalio/common';
import type { AppConfig } from '@buf/config/config';
import { loadOrCreateLocalSecret } from '@buf/config/local-secret';
import { EncryptionCodec, type EncryptionKeys } from './encryption-codec';

export function encryptionKeys(config: Pick<AppConfig, 'encryption'>): EncryptionKeys {
  const source = config.encryption;
  if (source.kind === 'local-file') {
    return { currentKeyId: source.keyId, keys: { [source.keyId]: loadOrCreateLocalSecret(source.file) } };
  }
  return {
    currentKeyId: source.currentKeyId,
    keys: Object.fromEntries(Object.entries(source.keys).map(([id, value]) => [id, new Uint8Array(Buffer.from(value, 'base64'))])),
  };
}

/** The module the workflow sandbox loads its failure converter from (failure texts encrypted too). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The converter of the client and the worker: every payload encrypted at rest in Temporal, sealed
 * for the workflow it belongs to, failure messages and stack traces included. The worker's
 * (`sealedOnly`) refuses what the service did not seal.
 */
export function createDataConverter(config: Pick<AppConfig, 'encryption'>, options: { sealedOnly?: boolean } = {}): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(encryptionKeys(config), options)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
