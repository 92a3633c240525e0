import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Actor } from '@buf/domain';

export interface AuthenticatedRequest {
  actor?: Actor;
}

/** The verified caller, set by the AuthGuard. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
