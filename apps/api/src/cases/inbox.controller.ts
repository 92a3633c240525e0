import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '@buf/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { InboxDto, InboxQuery } from './inbox.dto';
import { InboxService } from './inbox.service';

@ApiTags('cases')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({
    summary: "The caller's inbox: open cases where they can act now, by the nearest deadline, and the open cases they follow",
    description: 'Only cases the caller may read (as GET /cases). What they can do is what GET /cases/{id} lists as allowedActions, with the Danish labels.',
  })
  @ApiOkResponse({ type: InboxDto })
  @ApiBadRequestResponse({ description: 'Invalid filter (details.fields)' })
  get(@Query() query: InboxQuery, @CurrentActor() actor: Actor): Promise<InboxDto> {
    return this.inbox.inbox(query, actor);
  }
}
