import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
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

/*
 * The rules of a field, written once for the creation and the update; the schema facts are
 * spelled out because the Swagger plugin cannot see validators inside a composed decorator.
 */
const ReceiverUrl = (schema: ApiPropertyOptions) =>
  applyDecorators(
    trim(),
    IsString(),
    IsUrl({
      require_tld: false,
      require_protocol: true,
      protocols: ['http', 'https'],
      allow_underscores: true,
    }),
    MaxLength(2000),
    ApiProperty({ ...schema, format: 'uri', maxLength: 2000, pattern: URL_PATTERN }),
  );

const EventChoices = (schema: ApiPropertyOptions) =>
  applyDecorators(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(WEBHOOK_EVENT_CHOICES.length),
    ArrayUnique(),
    IsIn(WEBHOOK_EVENT_CHOICES, { each: true }),
    ApiProperty({
      ...schema,
      enum: WEBHOOK_EVENT_CHOICES,
      isArray: true,
      uniqueItems: true,
      minItems: 1,
      maxItems: WEBHOOK_EVENT_CHOICES.length,
    }),
  );

const EndpointDescription = () =>
  applyDecorators(Optional(), IsString(), MaxLength(200), ApiPropertyOptional({ maxLength: 200 }));

/** A new endpoint. */
export class CreateWebhookDto {
  /**
   * Where events are POSTed: https (http, loopback and private addresses only when
   * WEBHOOK_ALLOW_PRIVATE_NETWORKS is on, the default outside production).
   */
  @ReceiverUrl({ example: 'https://app.example.com/webhooks/users' })
  url!: string;

  /** The event types to receive; `*` for every type. */
  @EventChoices({ example: ['user.created', 'user.deleted'] })
  events!: WebhookEventChoice[];

  /** For the admins: what this endpoint is for. */
  @EndpointDescription()
  description?: string;

  /** Off: nothing is sent (true by default). */
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}

/**
 * Changes to an endpoint; absent fields stay as they are, `null` is refused like any bad value.
 * Turning it on clears why it was off.
 */
export class UpdateWebhookDto {
  @Optional()
  @ReceiverUrl({ required: false })
  url?: string;

  @Optional()
  @EventChoices({ required: false })
  events?: WebhookEventChoice[];

  @EndpointDescription()
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
