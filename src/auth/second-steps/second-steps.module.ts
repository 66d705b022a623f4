import { Module } from '@nestjs/common';
import { EmailOtpStep } from '../otp/email-otp.step';
import { OtpModule } from '../otp/otp.module';
import { PasskeyCredentialsModule } from '../passkeys/passkey-credentials.module';
import { PasskeyStep } from '../passkeys/passkey.step';
import { TotpModule } from '../totp/totp.module';
import { TotpStep } from '../totp/totp.step';
import { SecondStepRegistry } from './second-step-registry';

/** The registry of second steps; each method comes from its own module. */
@Module({
  imports: [OtpModule, TotpModule, PasskeyCredentialsModule],
  providers: [
    {
      provide: SecondStepRegistry,
      // The order is the offer: the account's own credentials first (TOTP, which the account
      // turned on for this, then a passkey), then the emailed code.
      useFactory: (totp: TotpStep, passkey: PasskeyStep, emailOtp: EmailOtpStep) =>
        new SecondStepRegistry([totp, passkey, emailOtp]),
      inject: [TotpStep, PasskeyStep, EmailOtpStep],
    },
  ],
  exports: [SecondStepRegistry],
})
export class SecondStepsModule {}
