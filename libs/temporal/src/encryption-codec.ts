import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, type SerializationContext, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { REFUSED_PAYLOAD, type RefusalReason } from './refused-payload';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/**
 * Inside the encrypted payload (so nobody can change it): the workflow it was written for, which
 * is the case (a case's workflow id is its case id). The codec endpoint decides by it who may read
 * the payload; the worker refuses a payload sealed for another workflow.
 */
export const OWNER_METADATA = 'buf-workflow-id';

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
  /**
   * `sealedOnly` (the worker): a payload that is not sealed with a key of the service, or was
   * sealed for another workflow, is never handed on as it is; it becomes a refused payload, which
   * the workflow interceptors and the activities refuse, non-retryably.
   */
  constructor(
    private readonly keys: EncryptionKeys,
    private readonly options: { sealedOnly?: boolean } = {},
  ) {
    for (const [id, key] of Object.entries(keys.keys)) {
      if (key.length !== 32) throw new Error(`Encryption key ${id} must be 32 bytes (AES-256), not ${key.length}`);
    }
    if (!keys.keys[keys.currentKeyId]) throw new Error(`The current encryption key ${keys.currentKeyId} is not among the keys`);
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const keyId = this.keys.currentKeyId;
    const key = this.keys.keys[keyId];
    const owner = context?.workflowId;
    return payloads.map((payload) => {
      const inner = owner ? { ...payload, metadata: { ...payload.metadata, [OWNER_METADATA]: text.encode(owner) } } : payload;
      return {
        metadata: { [METADATA_ENCODING_KEY]: text.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text.encode(keyId) },
        data: encrypt(temporal.api.common.v1.Payload.encode(inner).finish(), key),
      };
    });
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((payload) => (this.options.sealedOnly ? this.decodeSealed(payload, context?.workflowId) : (this.open(payload)?.payload ?? payload)));
  }

  /**
   * Opens one payload: what was sealed and the workflow it was sealed for (none for payloads
   * written before payloads named their workflow); undefined when it is not encrypted at all.
   */
  open(payload: Payload): { payload: Payload; owner?: string } | undefined {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || untext.decode(encoding) !== ENCRYPTED_ENCODING) return undefined;
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = keyIdBytes ? untext.decode(keyIdBytes) : '';
    const key = this.keys.keys[keyId];
    if (!key) throw new PayloadDecryptionError(`encrypted with key ${keyId || '(none)'}, which is not among the keys this service holds`);
    if (!payload.data) throw new PayloadDecryptionError('marked as encrypted but has no data');
    const inner = temporal.api.common.v1.Payload.decode(decrypt(payload.data, key)) as Payload;
    const ownerBytes = inner.metadata?.[OWNER_METADATA];
    if (!ownerBytes) return { payload: inner };
    const metadata = { ...inner.metadata };
    delete metadata[OWNER_METADATA];
    return { payload: { ...inner, metadata }, owner: untext.decode(ownerBytes) };
  }

  private decodeSealed(payload: Payload, workflowId: string | undefined): Payload {
    let opened: ReturnType<EncryptionCodec['open']>;
    try {
      opened = this.open(payload);
    } catch (err) {
      if (err instanceof PayloadDecryptionError) return refused('unreadable');
      throw err;
    }
    if (!opened) return refused('unsealed');
    if (opened.owner !== undefined && workflowId !== undefined && !sealedFor(opened.owner, workflowId)) return refused('other-workflow');
    return opened.payload;
  }
}

/**
 * A payload sealed for `owner` belongs to workflow `workflowId`: the same workflow, or a run a
 * Temporal Schedule started from an action sealed for `owner` (the schedule appends the time).
 */
export function sealedFor(owner: string, workflowId: string): boolean {
  if (owner === workflowId) return true;
  return workflowId.startsWith(`${owner}-`) && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(workflowId.slice(owner.length + 1));
}

function refused(reason: RefusalReason): Payload {
  return { metadata: { [METADATA_ENCODING_KEY]: text.encode('json/plain') }, data: text.encode(JSON.stringify({ [REFUSED_PAYLOAD]: reason })) };
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
