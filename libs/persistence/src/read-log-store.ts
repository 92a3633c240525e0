import type { DataSource } from 'typeorm';

/** Who read a case whose every read is recorded (logReads), and when. */
export class ReadLogStore {
  constructor(private readonly db: DataSource) {}

  async recordRead(caseId: string, actor: { sub: string; name: string }): Promise<void> {
    await this.db.query(`INSERT INTO case_read_log (case_id, actor_sub, actor_name) VALUES ($1, $2, $3)`, [caseId, actor.sub, actor.name]);
  }
}
