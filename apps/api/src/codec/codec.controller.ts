import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Payload } from '@temporalio/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBase64, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { type Actor, CaseErrorCode, hasAnyRole } from '@buf/domain';
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

/**
 * The codec server of the Temporal UI (`--ui-codec-endpoint`): decodes payloads for people
 * whose roles may see case content (CODEC_ROLES), and nobody else. The caller is known by a
 * bearer token (a UI with a login passes its user's) or by the codec session cookie.
 */
@ApiTags('codec')
@ApiBearerAuth()
@AcceptsCodecSession()
@Controller('codec')
export class CodecController {
  private readonly codec: EncryptionCodec;

  constructor(@Inject(AppConfigToken) private readonly config: AppConfig) {
    this.codec = new EncryptionCodec(encryptionKeys(config));
  }

  @Post('decode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decrypt payloads for the Temporal UI' })
  @ApiHeader({ name: 'X-Namespace', required: false })
  @ApiOkResponse({ type: PayloadsBody })
  async decode(@Body() body: PayloadsBody, @CurrentActor() actor: Actor, @Headers('x-namespace') namespace?: string): Promise<PayloadsBody> {
    this.authorise(actor, namespace);
    return { payloads: (await this.decodeEach(body.payloads.map(fromJson))).map(toJson) };
  }

  @Post('encode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Encrypt payloads (the UI encodes what it sends, e.g. signal arguments)' })
  @ApiHeader({ name: 'X-Namespace', required: false })
  @ApiOkResponse({ type: PayloadsBody })
  async encode(@Body() body: PayloadsBody, @CurrentActor() actor: Actor, @Headers('x-namespace') namespace?: string): Promise<PayloadsBody> {
    this.authorise(actor, namespace);
    return { payloads: (await this.codec.encode(body.payloads.map(fromJson))).map(toJson) };
  }

  /** Decodes payload by payload, so that a refusal names each one that cannot be read, and why (400, not 500). */
  private async decodeEach(payloads: Payload[]): Promise<Payload[]> {
    const decoded: Payload[] = [];
    const unreadable: { field: string; message: string }[] = [];
    for (const [i, payload] of payloads.entries()) {
      try {
        decoded.push(...(await this.codec.decode([payload])));
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
