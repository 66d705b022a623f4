import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AdminTotpController } from './admin-totp.controller';
import { AccountController } from './account.controller';
import { AuthController } from './auth.controller';
import { AuthListener } from './auth.listener';
import { AuthService } from './auth.service';
import { LockoutService } from './lockout.service';
import { OAuthModule } from './oauth/oauth.module';
import { OtpModule } from './otp/otp.module';
import { PasswordPolicy } from './password-policy';
import { PasswordService } from './password.service';
import { SignInModule } from './sign-in/sign-in.module';
import { TokensModule } from './tokens/tokens.module';
import { TotpController } from './totp.controller';
import { TotpModule } from './totp/totp.module';
import { TwoFactorService } from './two-factor.service';

/**
 * Sign-up, sign-in, passwords and two-factor settings: the flows, over the sub-modules that own
 * codes (otp), authenticator apps (totp), tokens, second steps (sign-in) and providers (oauth).
 * The lockout stays here: every flow that checks a secret takes its slots.
 */
@Module({
  // OAuthModule first: modules are scanned in this order, and it keeps the OpenAPI document's order.
  imports: [
    OAuthModule,
    OtpModule,
    TotpModule,
    TokensModule,
    SignInModule,
    UsersModule,
    SessionsModule,
    AssetsModule,
  ],
  controllers: [AuthController, AccountController, TotpController, AdminTotpController],
  providers: [
    AuthService,
    AuthListener,
    PasswordService,
    PasswordPolicy,
    LockoutService,
    TwoFactorService,
  ],
  exports: [AuthService],
})
export class AuthModule {}
