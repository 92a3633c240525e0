import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces go into an encoded attributes payload, which the payload
 * codec encrypts like every other payload: nothing of a case in a failure in Temporal's history.
 * A module of its own: the worker loads it inside the workflow sandbox (failureConverterPath).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
