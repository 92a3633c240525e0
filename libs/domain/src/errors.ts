/**
 * Why an action or a start is refused. The workflow throws these as ApplicationFailure types;
 * the API maps each to one HTTP status in one place.
 */
export enum CaseErrorCode {
  InvalidInput = 'InvalidInput',
  Forbidden = 'Forbidden',
  NotAllowedInStep = 'NotAllowedInStep',
  /** A conflict that is not about the case's step: a key already taken (one open case, an Idempotency-Key). */
  Conflict = 'Conflict',
  NotFound = 'NotFound',
}

/**
 * An activity failure that no retry will cure (the database refuses the data itself): named in
 * the workflows' retry policies as non-retryable, so the step fails, visibly, instead of being
 * retried for ever.
 */
export const UNRECORDABLE_CASE_EVENT = 'UnrecordableCaseEvent';

/** The recording activity refuses an event whose run does not own the case (a run started under its id another way). Not retried. */
export const CASE_OWNED_BY_ANOTHER_RUN = 'CaseOwnedByAnotherRun';

export interface CaseErrorDetails {
  fields?: { field: string; message: string }[];
  step?: string;
  allowedActions?: string[];
  /** A start refused because this open case already holds its key (oneOpenCasePer). */
  openCaseId?: string;
  /** A repeatable action at its limit per case: the action, the limit and the count. */
  limit?: { action: string; max: number; count: number };
}

export interface CaseRefusal {
  code: CaseErrorCode;
  message: string;
  details?: CaseErrorDetails;
}
