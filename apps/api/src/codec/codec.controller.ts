import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Payload } from '@temporalio/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBase64, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { type Actor, CaseErrorCode, PROCESS_DEFINITIONS, hasAnyRole, isCaseIdOf, readAccess } from '@buf/domain';
import { CaseStore } from '@buf/persistence/case-store';
import { ReadLogStore } from '@buf/persistence/read-log-store';
import { EncryptionCodec, PayloadDecryptionError } from '@buf/temporal/encryption-codec';
import { encryptionKeys } from '@buf/temporal/data-converter';
import { CurrentActor } from '../auth/current-actor.decorator';
import { AcceptsCodecSession } from '../auth/session-cookie';
import { CaseException } from '../errors/api-error';

class JsonPayload {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', format: 'byte' } })
  @IsOptional() @IsObject()
  metadata?: Record<string, string>;

  @ApiProperty({ type: 'string', format: 'byte' })
  @IsOptional() @IsBase64()
  data?: string;
}

class PayloadsBody {
  @ApiProperty({ type: [JsonPayload] })
  @IsArray() @ArrayMaxSize(1_000) @ValidateNested({ each: true }) @Type(() => JsonPayload)
  payloads!: JsonPayload[];
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(String(v), 'base64'))])),
  ...(p.data !== undefined ? { data: new Uint8Array(Buffer.from(p.data, 'base64')) } : {}),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
});

/** What the codec seals for the Temporal UI (signal or query input typed there): never a case's, so no worker runs it. */
export const TEMPORAL_UI_OWNER = 'temporal-ui';

/**
 * The codec server of the Temporal UI (`--ui-codec-endpoint`), for people whose roles may use the
 * UI's codec at all (CODEC_ROLES). Each payload names, sealed inside it, the workflow it belongs
 * to, which for a case is the case: it is decoded only if the API would let the caller read that
 * case (`readAccess`, in full), and a whistleblower case's decode is in its read log. Any other
 * payload of a case comes back still encrypted. The caller is known by a bearer token (a UI with
 * a login passes its user's) or by the codec session.
 */
@ApiTags('codec')
@ApiBearerAuth()
@AcceptsCodecSession()
@Controller('codec')
export class CodecController {
  private readonly codec: EncryptionCodec;

  constructor(
    @Inject(AppConfigToken) private readonly config: AppConfig,
    private readonly cases: CaseStore,
    private readonly readLog: ReadLogStore,
  ) {
    this.codec = new EncryptionCodec(encryptionKeys(config));
  }

  @Post('decode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decrypt payloads for the Temporal UI' })
  @ApiHeader({ name: 'X-Namespace', required: false })
  @ApiOkResponse({ type: PayloadsBody })
  async decode(@Body() body: PayloadsBody, @CurrentActor() actor: Actor, @Headers('x-namespace') namespace?: string): Promise<PayloadsBody> {
    this.authorise(actor, namespace);
    return { payloads: (await this.decodeEach(body.payloads.map(fromJson), actor)).map(toJson) };
  }

  @Post('encode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Encrypt payloads (the UI encodes what it sends, e.g. signal arguments)' })
  @ApiHeader({ name: 'X-Namespace', required: false })
  @ApiOkResponse({ type: PayloadsBody })
  async encode(@Body() body: PayloadsBody, @CurrentActor() actor: Actor, @Headers('x-namespace') namespace?: string): Promise<PayloadsBody> {
    this.authorise(actor, namespace);
    // Sealed for the UI, not for a case: a worker refuses it, so input typed in the UI runs nowhere.
    const context = { type: 'workflow' as const, namespace: this.config.temporal.namespace, workflowId: TEMPORAL_UI_OWNER };
    return { payloads: (await this.codec.encode(body.payloads.map(fromJson), context)).map(toJson) };
  }

  /**
   * Decodes payload by payload: what the caller may read decrypted, the rest as it came (the UI
   * shows it encrypted); a payload that cannot be decrypted at all is named in a 400.
   */
  private async decodeEach(payloads: Payload[], actor: Actor): Promise<Payload[]> {
    const decoded: Payload[] = [];
    const unreadable: { field: string; message: string }[] = [];
    const verdicts = new Map<string, Promise<boolean>>();
    for (const [i, payload] of payloads.entries()) {
      try {
        const opened = this.codec.open(payload);
        if (!opened) decoded.push(payload);
        else {
          const owner = opened.owner;
          if (owner !== undefined && !verdicts.has(owner)) verdicts.set(owner, this.mayRead(owner, actor));
          decoded.push(owner !== undefined && (await verdicts.get(owner)) ? opened.payload : payload);
        }
      } catch (err) {
        if (!(err instanceof PayloadDecryptionError)) throw err;
        unreadable.push({ field: `payloads[${i}]`, message: err.message });
      }
    }
    if (unreadable.length > 0) {
      throw new CaseException(CaseErrorCode.InvalidInput, `${unreadable.length} of ${payloads.length} payloads could not be decrypted: ${unreadable[0].message}`, { fields: unreadable });
    }
    return decoded;
  }

  /**
   * A case's payloads: for whom the API shows the case in full, the read logged where the process
   * logs reads. Another workflow's (a scheduled report, the retention sweep, input typed in the
   * UI): they hold no case content. A payload that names no workflow (sealed before payloads
   * named theirs) is not decoded.
   */
  private async mayRead(owner: string, actor: Actor): Promise<boolean> {
    const definition = PROCESS_DEFINITIONS.find((p) => isCaseIdOf(p.name, owner));
    if (!definition) return true;
    const stored = await this.cases.findCase(owner);
    if (!stored || readAccess(definition, stored.snapshot, actor) !== 'full') return false;
    if (definition.logReads) await this.readLog.recordRead(owner, actor);
    return true;
  }

  private authorise(actor: Actor, namespace: string | undefined): void {
    if (!hasAnyRole(actor, this.config.codecRoles)) {
      throw new CaseException(CaseErrorCode.Forbidden, `Reading case content in the Temporal UI requires one of the roles: ${this.config.codecRoles.join(', ')}`);
    }
    if (namespace !== undefined && namespace !== this.config.temporal.namespace) {
      throw new CaseException(CaseErrorCode.InvalidInput, `This codec serves namespace ${this.config.temporal.namespace}, not ${namespace}`, {
        fields: [{ field: 'X-Namespace', message: `must be ${this.config.temporal.namespace}` }],
      });
    }
  }
}
