import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { PROCESS_DEFINITIONS } from '@buf/domain';
import { ListCasesQuery } from './case.dto';

/** The inbox's filters: the list's own (`GET /cases`), validated by the same rules. */
export class InboxQuery extends PickType(ListCasesQuery, ['process', 'area', 'overdue'] as const) {}

export class InboxDeadlineDto {
  @ApiProperty({ example: 'datatilsynet-72h' }) name!: string;
  @ApiProperty({ example: 'Anmeldelse til Datatilsynet inden 72 timer', description: 'Its Danish label, from the definition' }) label!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ enum: ['pending', 'missed'], description: 'missed: passed, and what it demands is still outstanding' }) state!: 'pending' | 'missed';
}

export class ExpectedActionDto {
  @ApiProperty({ example: 'triage' }) action!: string;
  @ApiProperty({ example: 'Visiteret', description: "The action's Danish label, from the definition" }) label!: string;
}

export class InboxItemDto {
  @ApiProperty({ example: 'data-breach-2026-0000001', description: 'Also the Temporal workflow id' }) id!: string;
  @ApiProperty({ example: '2026-0000001' }) caseNumber!: string;
  @ApiProperty({ enum: PROCESS_DEFINITIONS.map((p) => p.name) }) process!: string;
  @ApiProperty() step!: string;
  @ApiPropertyOptional() area?: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({
    type: InboxDeadlineDto,
    description: 'The nearest deadline still owed: pending, or missed with what it demands still outstanding (absent: none)',
  })
  nextDeadline?: InboxDeadlineDto;
  @ApiProperty({ type: [ExpectedActionDto], description: 'What the caller may do on the case now (the actions their roles and person allow in its current step)' })
  expected!: ExpectedActionDto[];
}

export class InboxDto {
  @ApiProperty({ type: [InboxItemDto], description: 'Open cases where the caller can act now, by the nearest deadline still owed (cases without one last)' })
  actionable!: InboxItemDto[];
  @ApiProperty({ type: [InboxItemDto], description: 'Open cases the caller follows: opened by them, or assigned to them (a field of the case naming them, e.g. the assigned jurist), in the same order' })
  following!: InboxItemDto[];
  @ApiProperty({ description: `False when a section holds more cases than the inbox shows (at most 100 each): narrow it with the filters` })
  complete!: boolean;
  @ApiProperty({ type: [String], description: 'The configured areas, for the area filter' })
  areas!: string[];
}
