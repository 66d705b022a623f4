import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { ImpersonationModule } from './impersonation/impersonation.module';
import { AdminMailsController } from './admin-mails.controller';
import { AdminMailsService } from './admin-mails.service';
import { AdminTotpController } from './admin-totp.controller';
import { AccountController } from './account.controller';
import { AuthController } from './auth.controller';
import { AuthListener } from './auth.listener';
import { AuthService } from './auth.service';
import { LockoutModule } from './lockout/lockout.module';
import { LoginPasskeyController } from './login-passkey.controller';
import { OAuthModule } from './oauth/oauth.module';
import { OtpModule } from './otp/otp.module';
import { PasskeysModule } from './passkeys/passkeys.module';
import { PasswordPolicy } from './password-policy';
import { PasswordService } from './password.service';
import { PasswordlessService } from './passwordless.service';
import { SignInModule } from './sign-in/sign-in.module';
import { TokensModule } from './tokens/tokens.module';
import { TotpController } from './totp.controller';
import { TotpModule } from './totp/totp.module';
import { TwoFactorService } from './two-factor.service';

/**
 * Sign-up, sign-in, passwords and two-factor settings: the flows, over the sub-modules that own
 * codes (otp), authenticator apps (totp), tokens, second steps (sign-in), providers (oauth),
 * passkeys and the lockout every flow that checks a secret takes its slots from.
 */
@Module({
  // OAuthModule first: modules are scanned in this order, and it keeps the OpenAPI document's order.
  imports: [
    OAuthModule,
    OtpModule,
    TotpModule,
    TokensModule,
    SignInModule,
    LockoutModule,
    PasskeysModule,
    ImpersonationModule,
    UsersModule,
    SessionsModule,
    AssetsModule,
  ],
  controllers: [
    AuthController,
    LoginPasskeyController,
    AccountController,
    TotpController,
    AdminTotpController,
    AdminMailsController,
  ],
  providers: [
    AuthService,
    AuthListener,
    PasswordService,
    PasswordlessService,
    PasswordPolicy,
    TwoFactorService,
    AdminMailsService,
  ],
  // For the invitations feature (its codes follow the OTP rules, its passwords the policy) and
  // the OpenID provider's hosted sign-in (the API's own login and second step).
  exports: [OtpModule, PasswordPolicy, AuthService, TokensModule],
})
export class AuthModule {}
