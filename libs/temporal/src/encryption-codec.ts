import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

export interface EncryptionKeys {
  /** The key new payloads are encrypted with; older keys stay for decryption (rotation). */
  currentKeyId: string;
  keys: Record<string, Uint8Array>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const untext = new TextDecoder();

/** An encrypted payload this codec cannot read: under a key it does not hold, or altered since it was written. */
export class PayloadDecryptionError extends ValueError {
  constructor(reason: string) {
    super(`Payload ${reason}`);
  }
}

/**
 * AES-256-GCM over whole payloads, so that nothing in Temporal's history (inputs, update
 * arguments, activity arguments and results) is readable without the key. Each encrypted
 * payload names its key id, so keys can be rotated while old histories stay readable.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: EncryptionKeys) {
    for (const [id, key] of Object.entries(keys.keys)) {
      if (key.length !== 32) throw new Error(`Encryption key ${id} must be 32 bytes (AES-256), not ${key.length}`);
    }
    if (!keys.keys[keys.currentKeyId]) throw new Error(`The current encryption key ${keys.currentKeyId} is not among the keys`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keys.currentKeyId;
    const key = this.keys.keys[keyId];
    return payloads.map((payload) => ({
      metadata: { [METADATA_ENCODING_KEY]: text.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text.encode(keyId) },
      data: encrypt(temporal.api.common.v1.Payload.encode(payload).finish(), key),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || untext.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      const keyId = keyIdBytes ? untext.decode(keyIdBytes) : '';
      const key = this.keys.keys[keyId];
      if (!key) throw new PayloadDecryptionError(`encrypted with key ${keyId || '(none)'}, which is not among the keys this service holds`);
      if (!payload.data) throw new PayloadDecryptionError('marked as encrypted but has no data');
      return temporal.api.common.v1.Payload.decode(decrypt(payload.data, key)) as Payload;
    });
  }
}

/**
 * The payload key for a value the service keeps itself (a confidential field in PostgreSQL):
 * the same AES-256-GCM and key rotation, with `context` (case and field) as associated data.
 */
export function payloadKeyCipher(keys: EncryptionKeys): {
  seal(plain: string, context: string): { keyId: string; data: Uint8Array };
  open(sealed: { keyId: string; data: Uint8Array }, context: string): string;
} {
  return {
    seal: (plain, context) => ({ keyId: keys.currentKeyId, data: encrypt(text.encode(plain), keys.keys[keys.currentKeyId], text.encode(context)) }),
    open: (sealed, context) => {
      const key = keys.keys[sealed.keyId];
      if (!key) throw new PayloadDecryptionError(`encrypted with key ${sealed.keyId}, which is not among the keys this service holds`);
      return untext.decode(decrypt(sealed.data, key, text.encode(context)));
    },
  };
}

function encrypt(plain: Uint8Array, key: Uint8Array, aad?: Uint8Array): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decrypt(data: Uint8Array, key: Uint8Array, aad?: Uint8Array): Uint8Array {
  const buf = Buffer.from(data);
  if (buf.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('is too short to be encrypted data');
  const iv = buf.subarray(0, IV_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  if (aad) decipher.setAAD(aad);
  try {
    return Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // GCM's tag check: the bytes are not what this key encrypted.
    throw new PayloadDecryptionError('failed its integrity check: altered since it was written, or encrypted with another key under the same id');
  }
}
