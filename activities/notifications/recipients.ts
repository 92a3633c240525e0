import type { AppConfig } from '@buf/config';
import { type Role, parseRecipient } from '@buf/domain';

/**
 * The address of a recipient as the outbox stores it (`recipientKey` of @buf/domain): a role's
 * configured address; a person by function and place from the configured directory — an area's
 * representative in the legal network, a unit's institution leader or cluster leader. A person
 * the directory does not list is reached through the role's address (the institution leaders'
 * and cluster leaders' shared mailboxes; Ledelsessekretariatet for an area's representative),
 * and so is an unknown role.
 */
export function addressOf(config: Pick<AppConfig, 'notificationAddresses' | 'notificationDirectory'>, key: string): string {
  const recipient = parseRecipient(key);
  const fallback = config.notificationAddresses.ledelsessekretariat;
  if ('area' in recipient) return config.notificationDirectory.areas[recipient.area]?.representative ?? fallback;
  const role = config.notificationAddresses[recipient.role as Role] ?? fallback;
  if ('unit' in recipient) return config.notificationDirectory.units[recipient.unit]?.[recipient.role] ?? role;
  return role;
}
