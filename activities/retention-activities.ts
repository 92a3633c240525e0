import type { RetentionStore } from '@buf/persistence/retention-store';

export interface RetentionActivities {
  /** Anonymises every closed case past its retention period; returns how many. */
  anonymiseExpiredCases(args: { asOf: string }): Promise<number>;
}

export function createRetentionActivities(store: RetentionStore, retentionDays: Record<string, number>): RetentionActivities {
  return {
    async anonymiseExpiredCases({ asOf }) {
      return (await store.anonymiseExpired(new Date(asOf), retentionDays)).length;
    },
  };
}
