import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';
import { EmailField, Optional } from '../../common/dto/fields';
import { NewPasswordField, OtpCodeField } from '../../auth/dto/fields';
import { ROLE_NAME_PATTERN } from '../../rbac/dto/role.dto';

export class InviteUserDto {
  @EmailField()
  email!: string;

  @Optional()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @Optional()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  /** `user` when absent; never a role with a permission the caller lacks (403 `permission_escalation`). */
  @Optional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Matches(ROLE_NAME_PATTERN, { message: 'must be a role name' })
  @ApiProperty({ required: false, example: 'user', pattern: ROLE_NAME_PATTERN.source })
  role?: string;
}

export class AcceptInvitationDto {
  @EmailField()
  email!: string;

  /** The 6-digit code of the invitation mail. */
  @OtpCodeField()
  code!: string;

  /** The account's password, judged by the password policy. */
  @NewPasswordField()
  password!: string;
}
