import { Body, Controller, HttpCode, HttpException, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags, ApiBadRequestResponse } from '@nestjs/swagger';
import { type Actor, CaseErrorCode } from '@buf/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { CaseException, errorBody } from '../errors/api-error';
import { ImportSummaryDto } from './training-import.dto';
import { ImportFileError, type ImportRow, TRAINING_IMPORT_COLUMNS, TrainingImportService, parseTrainingCsv } from './training-import.service';

/** The most rows one request imports; a larger file goes in parts (each is safe to repeat) or through the CLI. */
export const IMPORT_MAX_ROWS_PER_REQUEST = 10_000;

/** The body limit of a text/csv request (bootstrap's body parser): room for IMPORT_MAX_ROWS_PER_REQUEST rows. */
export const IMPORT_MAX_BODY = '4mb';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class TrainingImportController {
  constructor(private readonly imports: TrainingImportService) {}

  @Post('training')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Open mandatory-training cases from a CSV file (an HR system)',
    description:
      `The body is CSV (UTF-8, RFC 4180) with a header row naming the columns ${TRAINING_IMPORT_COLUMNS.join(', ')} (any order), ` +
      'one row per employee and course. Each row is opened by the rules of POST /cases/mandatory-training for the caller: the same field rules, ' +
      "the caller's role and area (Ledelsessekretariatet imports every area, an area chief their own area's rows), one open case per employee and course. " +
      'A refused row is listed with its line and the answer the API gives that start; it never stops the others. ' +
      `Safe to repeat: a row whose case is open is reported as already open (with the case id), never opened twice. At most ${IMPORT_MAX_ROWS_PER_REQUEST} rows per request. ` +
      "The answer comes once every case's workflow has started; the case files follow within seconds (GET /cases).",
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: `${TRAINING_IMPORT_COLUMNS.join(',')}\nemp-4711,it-security,administrative,2026-08-01,Børnehuset Mælkebøtten,nord\n` } })
  @ApiOkResponse({ type: ImportSummaryDto, description: 'What each row came to' })
  @ApiBadRequestResponse({ description: 'Not CSV, or a header without the columns (nothing was imported)' })
  @ApiForbiddenResponse({ description: 'The caller may open no mandatory-training case (roles: ledelsessekretariat, area-chief)' })
  @ApiPayloadTooLargeResponse({ description: `More than ${IMPORT_MAX_ROWS_PER_REQUEST} rows` })
  async importTraining(@Body() body: unknown, @CurrentActor() actor: Actor): Promise<ImportSummaryDto> {
    this.imports.assertMayImport(actor);
    if (typeof body !== 'string') throw new CaseException(CaseErrorCode.InvalidInput, 'The body must be CSV (content-type text/csv)', { fields: [{ field: '(body)', message: 'The body must be CSV (content-type text/csv)' }] });
    let rows: ImportRow[];
    try {
      rows = parseTrainingCsv(body);
    } catch (err) {
      if (err instanceof ImportFileError) throw new CaseException(CaseErrorCode.InvalidInput, err.message, { fields: [{ field: '(body)', message: err.message }] });
      throw err;
    }
    if (rows.length > IMPORT_MAX_ROWS_PER_REQUEST) {
      throw new HttpException(errorBody(413, `${rows.length} rows; at most ${IMPORT_MAX_ROWS_PER_REQUEST} per request (send the file in parts, or use npm run import:training)`), HttpStatus.PAYLOAD_TOO_LARGE);
    }
    return this.imports.import(rows, actor);
  }
}
