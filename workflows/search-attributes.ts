import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * What Ledelsessekretariatet filters on in the Temporal UI. None of these carry personal data.
 * The dev server registers them at start (infra/local) and a cluster with
 * infra/temporal/register-search-attributes.sh, both from SEARCH_ATTRIBUTE_REGISTRATIONS below.
 */
export const CASE_SEARCH_ATTRIBUTES = {
  process: defineSearchAttributeKey('BufProcess', SearchAttributeType.KEYWORD),
  caseNumber: defineSearchAttributeKey('BufCaseNumber', SearchAttributeType.KEYWORD),
  step: defineSearchAttributeKey('BufStep', SearchAttributeType.KEYWORD),
  area: defineSearchAttributeKey('BufArea', SearchAttributeType.KEYWORD),
  overdue: defineSearchAttributeKey('BufOverdue', SearchAttributeType.BOOL),
  nextDeadline: defineSearchAttributeKey('BufNextDeadline', SearchAttributeType.DATETIME),
} as const;

const CLI_TYPES: Readonly<Record<string, string>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.TEXT]: 'Text',
};

/**
 * `Name=Type` pairs as `temporal server start-dev --search-attribute` and the operator CLI take
 * them, read from CASE_SEARCH_ATTRIBUTES: the one list the dev server, the registration on a
 * cluster and the workflows use.
 */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: string[] = Object.values(CASE_SEARCH_ATTRIBUTES).map((key) => `${key.name}=${CLI_TYPES[key.type]}`);
