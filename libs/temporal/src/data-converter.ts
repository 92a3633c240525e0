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

/** The same converter on the client and the worker: every payload encrypted at rest in Temporal. */
export function createDataConverter(config: Pick<AppConfig, 'encryption'>): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(encryptionKeys(config))] };
}
