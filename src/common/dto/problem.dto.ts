import { ApiProperty } from '@nestjs/swagger';

export class FieldErrorDto {
  /** The offending field, dotted for nested ones. */
  field!: string;
  message!: string;
}

/** RFC 9457 problem details (`application/problem+json`). */
export class ProblemDto {
  @ApiProperty({ example: 'about:blank' })
  type!: string;
  @ApiProperty({ example: 'Bad Request' })
  title!: string;
  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;
  detail!: string;
  /** Stable machine-readable code for errors a client branches on. */
  @ApiProperty({ example: 'invalid_otp', required: false })
  code?: string;
  errors?: FieldErrorDto[];
  requestId!: string;
}
