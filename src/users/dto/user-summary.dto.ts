import { ApiProperty } from '@nestjs/swagger';

/**
 * Who someone is, in a line: what the admin pages embed for an audit entry's actor and target or
 * an asset's owner, so a client shows people instead of ids without one request per row.
 */
export class UserSummaryDto {
  @ApiProperty({ example: '665f1c2e8b3c4a0012345678' })
  id!: string;
  @ApiProperty({ example: 'ada@example.com' })
  email!: string;
  /** First and last name together; absent when the user gave none. */
  @ApiProperty({ example: 'Ada Lovelace', required: false })
  name?: string;
}
