import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'buf:isPublic';

/** The route needs no token (health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
