import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * What Ledelsessekretariatet filters on in the Temporal UI. None of these carry personal data.
 * The dev server registers them at start (infra/local) and a cluster with
 * infra/temporal/register-search-attributes.sh.
 */
export const CASE_SEARCH_ATTRIBUTES = {
  process: defineSearchAttributeKey('BufProcess', SearchAttributeType.KEYWORD),
  caseNumber: defineSearchAttributeKey('BufCaseNumber', SearchAttributeType.KEYWORD),
  step: defineSearchAttributeKey('BufStep', SearchAttributeType.KEYWORD),
  area: defineSearchAttributeKey('BufArea', SearchAttributeType.KEYWORD),
  overdue: defineSearchAttributeKey('BufOverdue', SearchAttributeType.BOOL),
  nextDeadline: defineSearchAttributeKey('BufNextDeadline', SearchAttributeType.DATETIME),
} as const;

/** `Name=Type` pairs as `temporal server start-dev --search-attribute` and the operator CLI take them. */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: string[] = [
  'BufProcess=Keyword',
  'BufCaseNumber=Keyword',
  'BufStep=Keyword',
  'BufArea=Keyword',
  'BufOverdue=Bool',
  'BufNextDeadline=Datetime',
];
