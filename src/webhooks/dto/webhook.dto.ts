import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { Optional } from '../../common/dto/fields';
import { WEBHOOK_EVENT_CHOICES, WebhookEventChoice } from '../webhook-event-types';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
/** What the schema can say of the URL (IsUrl and the sender's rules say the rest). */
const URL_PATTERN = '^[hH][tT][tT][pP][sS]?://';
const receiverUrl = {
  require_tld: false,
  require_protocol: true,
  protocols: ['http', 'https'],
  allow_underscores: true,
};

/** A new endpoint. */
export class CreateWebhookDto {
  /**
   * Where events are POSTed: https (http, loopback and private addresses only when
   * WEBHOOK_ALLOW_PRIVATE_NETWORKS is on, the default outside production).
   */
  @trim()
  @IsString()
  @IsUrl(receiverUrl)
  @MaxLength(2000)
  @ApiProperty({
    example: 'https://app.example.com/webhooks/users',
    maxLength: 2000,
    pattern: URL_PATTERN,
  })
  url!: string;

  /** The event types to receive; `*` for every type. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_CHOICES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_CHOICES, { each: true })
  @ApiProperty({
    enum: WEBHOOK_EVENT_CHOICES,
    isArray: true,
    uniqueItems: true,
    minItems: 1,
    maxItems: WEBHOOK_EVENT_CHOICES.length,
    example: ['user.created', 'user.deleted'],
  })
  events!: WebhookEventChoice[];

  /** For the admins: what this endpoint is for. */
  @Optional()
  @IsString()
  @MaxLength(200)
  description?: string;

  /** Off: nothing is sent (true by default). */
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}

/** Changes to an endpoint; absent fields stay as they are. Turning it on clears why it was off. */
export class UpdateWebhookDto {
  @Optional()
  @trim()
  @IsString()
  @IsUrl(receiverUrl)
  @MaxLength(2000)
  @ApiProperty({ required: false, maxLength: 2000, pattern: URL_PATTERN })
  url?: string;

  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_CHOICES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_CHOICES, { each: true })
  @ApiProperty({
    enum: WEBHOOK_EVENT_CHOICES,
    isArray: true,
    uniqueItems: true,
    minItems: 1,
    maxItems: WEBHOOK_EVENT_CHOICES.length,
    required: false,
  })
  events?: WebhookEventChoice[];

  @Optional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @Optional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookDto {
  @ApiProperty({ example: '665f1c2e8b3c4a0012345678' })
  id!: string;
  url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_CHOICES, isArray: true })
  events!: WebhookEventChoice[];
  description!: string;
  enabled!: boolean;
  /** Why the sender turned it off: `gone` (the receiver answered 410), `failing` (a day of failures). */
  @ApiProperty({ enum: ['gone', 'failing'], required: false })
  disabledReason?: string;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time', required: false })
  secretRotatedAt?: string;
}

/** An endpoint just created, or its new secret: the only time the secret is shown. */
export class WebhookWithSecretDto extends WebhookDto {
  /** The signing secret (`whsec_…`); store it now: it is never shown again. */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;
}

export class WebhookListDto {
  /** Newest first. */
  items!: WebhookDto[];
}
