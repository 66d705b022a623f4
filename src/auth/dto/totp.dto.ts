import { ApiProperty } from '@nestjs/swagger';
import { OtpCodeField, PasswordField, SecondFactorCodeField } from './fields';

/** The password again, before a new secret is shown. */
export class TotpSetupRequestDto {
  @PasswordField()
  password!: string;
}

/** Shown once: add it to an authenticator app, then turn TOTP on with a code from it. */
export class TotpSetupDto {
  /** The base32 secret, for typing into the app by hand. */
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' })
  secret!: string;
  /** The same secret as an otpauth:// URL (issuer and the account's email as label). */
  @ApiProperty({
    example:
      'otpauth://totp/User%20management:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=User%20management',
  })
  otpauthUrl!: string;
  /** The URL as a QR code, a PNG data URL for an `<img src>`. */
  @ApiProperty({ example: 'data:image/png;base64,iVBORw0KGgo=' })
  qrCodeDataUrl!: string;
}

export class TotpEnableDto {
  /** A current 6-digit code from the authenticator app. */
  @OtpCodeField()
  code!: string;
}

export class TotpDisableDto {
  @PasswordField()
  password!: string;

  /** A current 6-digit code from the authenticator app, or an unused recovery code. */
  @SecondFactorCodeField()
  code!: string;
}

export class RecoveryCodesRequestDto {
  @PasswordField()
  password!: string;

  /** A current 6-digit code from the authenticator app. */
  @OtpCodeField()
  code!: string;
}

/** Shown once: each works once instead of a code from the app. Earlier sets stop working. */
export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    minItems: 10,
    maxItems: 10,
    example: ['7k2mq-x9d4r', 'h3v8n-2wq6t'],
  })
  recoveryCodes!: string[];
}
