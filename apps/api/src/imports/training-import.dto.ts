import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ImportedCaseDto {
  @ApiProperty({ description: 'The line of the file (the header is line 1)' }) line!: number;
  @ApiProperty({ example: 'mandatory-training-2026-0000001' }) caseId!: string;
}

export class AlreadyOpenCaseDto {
  @ApiProperty({ description: 'The line of the file (the header is line 1)' }) line!: number;
  @ApiPropertyOptional({ description: 'The open case of this employee and course, when the importer may read it' }) caseId?: string;
}

export class DuplicateRowDto {
  @ApiProperty() line!: number;
  @ApiProperty({ description: 'The earlier line of the same file this row repeats exactly (counted there)' }) sameAs!: number;
}

/** A refused row: its line, and the error (the one error shape) the API answers the same start with. */
export class RefusedRowDto {
  @ApiProperty({ description: 'The line of the file (the header is line 1)' }) line!: number;
  @ApiProperty({ example: 400, description: 'The status the API answers the same start with: 400 field, 403 role or area, 409 conflict within the file, 503 Temporal away (run again)' }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'staffGroup must be one of: administrative, pedagogical, leader' }) message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'details.fields: the fields and their messages (400)' }) details?: object;
}

export class ImportSummaryDto {
  @ApiProperty({ description: 'Data rows in the file' }) rows!: number;
  @ApiProperty({ description: 'Cases opened by this import' }) opened!: number;
  @ApiProperty({ description: 'Rows whose employee and course already have an open case (opened by the API or an earlier import)' }) alreadyOpen!: number;
  @ApiProperty({ description: 'Rows repeating an earlier row of the file' }) duplicates!: number;
  @ApiProperty({ description: 'Rows that opened nothing, each with the answer the API gives the same start' }) refused!: number;
  @ApiProperty({ type: [ImportedCaseDto] }) openedCases!: ImportedCaseDto[];
  @ApiProperty({ type: [AlreadyOpenCaseDto] }) alreadyOpenCases!: AlreadyOpenCaseDto[];
  @ApiProperty({ type: [DuplicateRowDto] }) duplicateRows!: DuplicateRowDto[];
  @ApiProperty({ type: [RefusedRowDto] }) refusedRows!: RefusedRowDto[];
}
