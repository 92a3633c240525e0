/**
 * Test only: a workflow interceptor that lets `send-reply` through the update validator, as the
 * rule was before the receipt briefing became required for it. With it a test builds the case a
 * running workflow may be in after the change: a reply sent to BRG with the receipt briefing missing.
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { TakeActionArgs } from '@buf/domain';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      validateUpdate(input, next) {
        const [args] = input.args as [TakeActionArgs | undefined];
        if (input.name === 'takeAction' && args?.action === 'send-reply') return;
        next(input);
      },
    },
  ],
});
