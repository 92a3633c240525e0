import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type AppConfig, AppConfigToken } from '@buf/config';
import {
  type CasePolicy,
  CaseErrorCode,
  PROCESS_DEFINITIONS,
  type ProcessDefinition,
  describeBasis,
  describeRule,
  findProcess,
} from '@buf/domain';
import { toBpmn } from '@buf/bpmn';
import { CaseException } from '../errors/api-error';

/**
 * A definition as plain JSON: the functions (preconditions, checks) are described, not sent; each
 * deadline with its rule in words (with the figures of the policy in force) and its legal basis.
 */
export function describeProcess(p: ProcessDefinition, policy: CasePolicy): Record<string, unknown> {
  return {
    name: p.name,
    label: p.label,
    description: p.description,
    startRoles: p.startRoles,
    startInput: p.startInput,
    ...(p.oneOpenCasePer ? { oneOpenCasePer: p.oneOpenCasePer } : {}),
    readRoles: p.readRoles,
    steps: p.steps,
    initialStep: p.initialStep,
    actions: p.actions.map((a) => ({
      name: a.name,
      label: a.label,
      description: a.description,
      roles: a.roles,
      steps: a.steps,
      leadsTo: a.leadsTo,
      input: a.input,
      ...(a.reopens ? { reopens: true } : {}),
    })),
    deadlines: p.deadlines.map((d) => ({
      name: d.name,
      label: d.label,
      description: d.description,
      rule: describeRule(d.rule, policy),
      legalBasis: describeBasis(d.rule.basis),
      measure: d.rule.measure,
      reminders: d.reminders ?? [],
      escalatesTo: d.escalatesTo,
    })),
  };
}

@ApiTags('processes')
@ApiBearerAuth()
@Controller('processes')
export class ProcessesController {
  /** Each process's BPMN, drawn once: the definitions and the policy do not change while the API runs. */
  private readonly drawn = new Map<string, Promise<string>>();

  constructor(@Inject(AppConfigToken) private readonly config: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'Every process: steps, actions, roles, deadlines' })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'object' } } })
  list(): Record<string, unknown>[] {
    return PROCESS_DEFINITIONS.map((p) => describeProcess(p, this.config.policy));
  }

  @Get(':process')
  @ApiOperation({ summary: 'One process definition' })
  @ApiParam({ name: 'process', enum: PROCESS_DEFINITIONS.map((p) => p.name) })
  @ApiOkResponse({ schema: { type: 'object' } })
  @ApiNotFoundResponse({ description: 'Unknown process' })
  get(@Param('process') name: string): Record<string, unknown> {
    return describeProcess(this.definition(name), this.config.policy);
  }

  @Get(':process/bpmn')
  @Header('content-type', 'application/xml; charset=utf-8')
  @ApiOperation({
    summary: 'The process definition as BPMN 2.0 XML with a diagram',
    description:
      'Generated from the definition: a user task per step (`step_<step>`), an exclusive gateway where a step has several outcomes (`gateway_<step>`), ' +
      'a non-interrupting boundary timer per deadline and step it runs in (`deadline_<deadline>__<step>`, labelled with its rule and legal basis), ' +
      'leading to an escalation naming who is told (`missed_<deadline>`), and one for its reminders (`reminder_<deadline>__<step>`); ' +
      'one lane per role; diagram interchange (a layout) that bpmn.io and Camunda Modeler draw. ' +
      'Ids replace every character outside [A-Za-z0-9_] with `_`.',
  })
  @ApiParam({ name: 'process', enum: PROCESS_DEFINITIONS.map((p) => p.name) })
  @ApiProduces('application/xml')
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'Unknown process' })
  bpmn(@Param('process') name: string): Promise<string> {
    const definition = this.definition(name);
    let xml = this.drawn.get(definition.name);
    if (!xml) {
      xml = toBpmn(definition, this.config.policy);
      this.drawn.set(definition.name, xml);
      xml.catch(() => this.drawn.delete(definition.name));
    }
    return xml;
  }

  private definition(name: string): ProcessDefinition {
    const p = findProcess(name);
    if (!p) throw new CaseException(CaseErrorCode.NotFound, `Unknown process ${name}; known: ${PROCESS_DEFINITIONS.map((d) => d.name).join(', ')}`);
    return p;
  }
}
