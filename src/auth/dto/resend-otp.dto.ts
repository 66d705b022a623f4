import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { EmailField } from '../../common/dto/fields';
import { OTP_PURPOSES } from '../otp/otp.schema';
import type { OtpPurpose } from '../otp/otp.schema';

export class ResendOtpDto {
  @EmailField()
  email!: string;

  @IsIn(OTP_PURPOSES)
  @ApiProperty({ enum: OTP_PURPOSES })
  purpose!: OtpPurpose;
}
