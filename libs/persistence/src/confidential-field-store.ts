import type { DataSource } from 'typeorm';

/** Seals and opens a field's value with the service's payload key; `context` is bound to the ciphertext. */
export interface FieldCipher {
  seal(plain: string, context: string): { keyId: string; data: Uint8Array };
  open(sealed: { keyId: string; data: Uint8Array }, context: string): string;
}

/**
 * The fields a definition holds outside the workflow (never in Temporal): stored by the API
 * itself, encrypted at rest, one row per case and field (a repeat replaces it).
 */
export class ConfidentialFieldStore {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  /** Idempotent: the same case and field again replace the value. */
  async put(caseId: string, fields: Record<string, string>): Promise<void> {
    for (const [field, value] of Object.entries(fields)) {
      const sealed = this.cipher.seal(value, context(caseId, field));
      await this.db.query(
        `INSERT INTO case_confidential_fields (case_id, field, key_id, ciphertext) VALUES ($1, $2, $3, $4)
         ON CONFLICT (case_id, field) DO UPDATE SET key_id = EXCLUDED.key_id, ciphertext = EXCLUDED.ciphertext, updated_at = now()`,
        [caseId, field, sealed.keyId, Buffer.from(sealed.data)],
      );
    }
  }

  /** The stored values of these fields of a case (absent fields are left out). */
  async read(caseId: string, fields: readonly string[]): Promise<Record<string, string>> {
    if (fields.length === 0) return {};
    const rows: { field: string; key_id: string; ciphertext: Buffer }[] = await this.db.query(
      `SELECT field, key_id, ciphertext FROM case_confidential_fields WHERE case_id = $1 AND field = ANY($2)`,
      [caseId, fields],
    );
    return Object.fromEntries(rows.map((r) => [r.field, this.cipher.open({ keyId: r.key_id, data: r.ciphertext }, context(caseId, r.field))]));
  }
}

/** A value sealed for one case and field cannot be moved to another row and still open. */
function context(caseId: string, field: string): string {
  return `${caseId}/${field}`;
}
