import { ApiProperty } from '@nestjs/swagger';

export class DayCountDto {
  @ApiProperty({ example: '2026-11-24', format: 'date' })
  date!: string;
  count!: number;
}

export class UserStatsDto {
  total!: number;
  @ApiProperty({ example: { pending: 3, invited: 4, active: 120, disabled: 2 } })
  byStatus!: Record<string, number>;
  @ApiProperty({ example: { user: 118, admin: 2, support: 5 } })
  byRole!: Record<string, number>;
}

export class AssetStatsDto {
  total!: number;
  bytes!: number;
}

export class SessionStatsDto {
  /** Sessions that can be refreshed now. */
  active!: number;
}

export class StatsDto {
  users!: UserStatsDto;
  /** Sign-ups per UTC day, oldest first, the last 30 days including today; days without any are 0. */
  @ApiProperty({ type: [DayCountDto] })
  signupsLast30Days!: DayCountDto[];
  sessions!: SessionStatsDto;
  assets!: AssetStatsDto;
}
