import { EmailField } from '../../common/dto/fields';
import { OtpCodeField } from './fields';

export class VerifyEmailDto {
  @EmailField()
  email!: string;

  @OtpCodeField()
  code!: string;
}
