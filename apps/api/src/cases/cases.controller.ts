import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiBadRequestResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { type Actor, PROCESS_DEFINITIONS } from '@buf/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { CaseDto, CaseListDto, ListCasesQuery } from './case.dto';
import { CasesService } from './cases.service';
import { ACTION_DTOS, START_DTOS } from './input-dtos';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Repeating a request with the same key returns the same result and applies it once.',
};

@ApiTags('cases')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post(':process')
  @ApiOperation({ summary: 'Open a case of a process', description: 'The body depends on the process: see GET /processes/{process}.' })
  @ApiParam({ name: 'process', enum: PROCESS_DEFINITIONS.map((p) => p.name) })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ schema: { anyOf: [...START_DTOS.values()].map((dto) => ({ $ref: getSchemaPath(dto) })) } })
  @ApiCreatedResponse({ type: CaseDto })
  @ApiBadRequestResponse({ description: 'Field errors (details.fields)' })
  @ApiForbiddenResponse({ description: 'The caller may not open a case of this process' })
  @ApiNotFoundResponse({ description: 'Unknown process' })
  @ApiConflictResponse({ description: 'A case of the process is already open for this key (mandatory-training: employee and course; details.openCaseId), or the Idempotency-Key was used for something else' })
  start(
    @Param('process') process: string,
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CaseDto> {
    return this.cases.start(process, body, actor, idempotencyKey || undefined);
  }

  @Get()
  @ApiOperation({ summary: 'List the cases the caller may read, newest first' })
  @ApiOkResponse({ type: CaseListDto })
  @ApiBadRequestResponse({ description: 'Invalid filter' })
  list(@Query() query: ListCasesQuery, @CurrentActor() actor: Actor): Promise<CaseListDto> {
    return this.cases.list(query, actor);
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'A case: step, deadlines, journal, and the actions the caller may take now' })
  @ApiOkResponse({ type: CaseDto })
  @ApiNotFoundResponse({ description: 'No such case, or not one the caller may read' })
  get(@Param('caseId') caseId: string, @CurrentActor() actor: Actor): Promise<CaseDto> {
    return this.cases.get(caseId, actor);
  }

  @Post(':caseId/actions/:action')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take an action on a case (a Temporal Update, validated by the workflow)' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ schema: { anyOf: [...ACTION_DTOS.values()].map((dto) => ({ $ref: getSchemaPath(dto) })) } })
  @ApiOkResponse({ type: CaseDto, description: 'The case after the step' })
  @ApiBadRequestResponse({ description: 'Field errors (details.fields)' })
  @ApiForbiddenResponse({ description: 'Role, or person, not allowed' })
  @ApiNotFoundResponse({ description: 'Unknown case or action' })
  @ApiConflictResponse({ description: 'Not allowed in the current step; details.step and details.allowedActions say what is (a repeatable action at its limit per case: details.limit)' })
  act(
    @Param('caseId') caseId: string,
    @Param('action') action: string,
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CaseDto> {
    return this.cases.act(caseId, action, body, actor, idempotencyKey || undefined);
  }
}
