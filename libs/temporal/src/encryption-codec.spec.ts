import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, PayloadDecryptionError, payloadKeyCipher, sealedFor } from './encryption-codec';

describe('payload encryption codec', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const personal = { name: 'Sofie Jensen', cpr: '010203-1234', report: 'Skolelederen har slettet mails' };

  it('given a payload with personal data, when encoded, then its bytes contain none of it and decoding restores it', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: { k1 } });
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(personal)]);
    const raw = Buffer.from(encoded.data ?? []).toString('latin1');
    for (const value of Object.values(personal)) expect(raw).not.toContain(value);
    expect(Buffer.from(encoded.metadata?.['encryption-key-id'] ?? []).toString()).toBe('k1');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(personal);
  });

  it('given a rotated key, when old payloads are decoded, then the old key still opens them and new ones use the new key', async () => {
    const before = new EncryptionCodec({ currentKeyId: 'k1', keys: { k1 } });
    const after = new EncryptionCodec({ currentKeyId: 'k2', keys: { k1, k2 } });
    const [old] = await before.encode([defaultPayloadConverter.toPayload(personal)]);
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload(personal)]);
    expect(Buffer.from(fresh.metadata?.['encryption-key-id'] ?? []).toString()).toBe('k2');
    const decoded = await after.decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([personal, personal]);
  });

  it('given a tampered or unknown-key payload, when decoded, then it is refused', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: { k1 } });
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(personal)]);
    const tampered = { ...encoded, data: Buffer.from(encoded.data ?? []).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([tampered])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([tampered])).rejects.toThrow(/integrity check/);
    await expect(codec.decode([{ ...encoded, data: new Uint8Array(20) }])).rejects.toThrow(/too short/);
    await expect(new EncryptionCodec({ currentKeyId: 'k2', keys: { k2 } }).decode([encoded])).rejects.toThrow(/key k1, which is not among the keys/);
    expect(() => new EncryptionCodec({ currentKeyId: 'k1', keys: { k1: randomBytes(16) } })).toThrow(/32 bytes/);
  });

  it('given a payload that is not encrypted, when decoded, then it passes through', async () => {
    const codec = new EncryptionCodec({ currentKeyId: 'k1', keys: { k1 } });
    const plain = defaultPayloadConverter.toPayload('hello');
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});

describe('the payload key for fields the service keeps itself', () => {
  const keys = { currentKeyId: 'k1', keys: { k1: new Uint8Array(randomBytes(32)) } };

  it('given an identity sealed for one case and field, when opened, then it reads back; under another case or field it does not open', () => {
    const cipher = payloadKeyCipher(keys);
    const sealed = cipher.seal('Birgitte Winther', 'whistleblower-2026-0000001/whistleblowerIdentity');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.data).toString('latin1')).not.toContain('Winther');
    expect(cipher.open(sealed, 'whistleblower-2026-0000001/whistleblowerIdentity')).toBe('Birgitte Winther');
    expect(() => cipher.open(sealed, 'whistleblower-2026-0000002/whistleblowerIdentity')).toThrow(PayloadDecryptionError);
  });
});

describe('the payload codec on the worker (sealedOnly): only what the service sealed, for this workflow', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const personal = { name: 'Sofie Jensen', cpr: '010203-1234', report: 'Skolelederen har slettet mails' };
  const workflow = (workflowId: string) => ({ type: 'workflow' as const, namespace: 'default', workflowId });
  const client = new EncryptionCodec({ currentKeyId: 'k1', keys: { k1 } });
  const worker = new EncryptionCodec({ currentKeyId: 'k1', keys: { k1 } }, { sealedOnly: true });
  const refusal = (p: unknown) => (defaultPayloadConverter.fromPayload(p as never) as Record<string, unknown>).$bufRefusedPayload;

    it('given payloads sealed for this case, for another case, not sealed, or unreadable, when decoded, then only the first is handed on', async () => {
      const [own] = await client.encode([defaultPayloadConverter.toPayload(personal)], workflow('data-breach-2026-0000001'));
      const [other] = await client.encode([defaultPayloadConverter.toPayload(personal)], workflow('data-breach-2026-0000002'));
      const unsealed = defaultPayloadConverter.toPayload({ action: 'triage' });
      const [foreignKey] = await new EncryptionCodec({ currentKeyId: 'k2', keys: { k2 } }).encode([defaultPayloadConverter.toPayload(personal)], workflow('data-breach-2026-0000001'));
      const decoded = await worker.decode([own, other, unsealed, foreignKey], workflow('data-breach-2026-0000001'));
      expect(defaultPayloadConverter.fromPayload(decoded[0])).toEqual(personal);
      expect(decoded.slice(1).map(refusal)).toEqual(['other-workflow', 'unsealed', 'unreadable']);
      // What the workflow sees carries nothing of the sealing.
      expect(Object.keys(decoded[0].metadata ?? {})).toEqual(['encoding']);
    });

    it('given a payload sealed before payloads named their workflow, when decoded, then it is handed on (running cases keep running)', async () => {
      const [legacy] = await client.encode([defaultPayloadConverter.toPayload(personal)]);
      expect(defaultPayloadConverter.fromPayload((await worker.decode([legacy], workflow('complaint-2026-0000001')))[0])).toEqual(personal);
    });

    it('given a Schedule that sealed its action for its workflow id, when a run with the time appended decodes it, then it is the same workflow; nothing else is', () => {
      expect(sealedFor('buf-cases.training-monthly-report', 'buf-cases.training-monthly-report-2026-12-01T06:00:00Z')).toBe(true);
      expect(sealedFor('complaint-2026-0000001', 'complaint-2026-0000001')).toBe(true);
      expect(sealedFor('complaint-2026-0000001', 'complaint-2026-00000012')).toBe(false);
      expect(sealedFor('complaint-2026-0000001', 'complaint-2026-0000001-forged')).toBe(false);
      expect(sealedFor('temporal-ui', 'complaint-2026-0000001')).toBe(false);
    });
});
