import { SessionDto } from '../../sessions/dto/session.dto';

/** A user's live sessions for the admin: how many, and each one (newest use first). */
export class AdminSessionListDto {
  /** Sessions that can be refreshed now: `items.length`. */
  active!: number;
  /** `current` marks the caller's own session (on their own page). */
  items!: SessionDto[];
}
