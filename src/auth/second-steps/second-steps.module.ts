import { Module } from '@nestjs/common';
import { EmailOtpStep } from '../otp/email-otp.step';
import { OtpModule } from '../otp/otp.module';
import { TotpModule } from '../totp/totp.module';
import { TotpStep } from '../totp/totp.step';
import { SecondStepRegistry } from './second-step-registry';

/** The registry of second steps; each method comes from its own module. */
@Module({
  imports: [OtpModule, TotpModule],
  providers: [
    {
      provide: SecondStepRegistry,
      // The order is the offer: the account's own credential first, then the emailed code.
      useFactory: (totp: TotpStep, emailOtp: EmailOtpStep) =>
        new SecondStepRegistry([totp, emailOtp]),
      inject: [TotpStep, EmailOtpStep],
    },
  ],
  exports: [SecondStepRegistry],
})
export class SecondStepsModule {}
