import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { AssetsModule } from '../assets/assets.module';
import { MailModule } from '../mail/mail.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { UsersModule } from '../users/users.module';
import { AdminTotpController } from './admin-totp.controller';
import { AuthMails } from './auth-mails';
import { AccountController } from './account.controller';
import { AuthController } from './auth.controller';
import { AuthListener } from './auth.listener';
import { AuthService } from './auth.service';
import { LockoutService } from './lockout.service';
import { IdentitiesController } from './oauth/identities.controller';
import { IdentitiesModule } from './oauth/identities.module';
import { OAuthAccounts } from './oauth/oauth-accounts.service';
import { OAuthCode, OAuthCodeSchema, OAuthFlow, OAuthFlowSchema } from './oauth/oauth-flow.schema';
import { OAuthFlows } from './oauth/oauth-flows.service';
import { OAuthController } from './oauth/oauth.controller';
import { OAuthService } from './oauth/oauth.service';
import { ProviderRegistry } from './oauth/providers/provider-registry';
import { PurgeOAuthFlowsJob } from './oauth/purge-oauth-flows.job';
import { Otp, OtpSchema } from './otp/otp.schema';
import { OtpService } from './otp/otp.service';
import { PurgeExpiredOtpsJob } from './otp/purge-expired-otps.job';
import { PasswordPolicy } from './password-policy';
import { PasswordService } from './password.service';
import { JwtStrategy } from './tokens/jwt.strategy';
import { RefreshCookie } from './tokens/refresh-cookie';
import { TokenService } from './tokens/token.service';
import { TotpController } from './totp.controller';
import { TotpCipher } from './totp/totp-cipher';
import { TotpCredential, TotpCredentialSchema } from './totp/totp.schema';
import { TotpService } from './totp/totp.service';
import { TwoFactorService } from './two-factor.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Otp.name, schema: OtpSchema },
      { name: TotpCredential.name, schema: TotpCredentialSchema },
      { name: OAuthFlow.name, schema: OAuthFlowSchema },
      { name: OAuthCode.name, schema: OAuthCodeSchema },
    ]),
    IdentitiesModule,
    // Keys and claims are passed per call by TokenService (KeyObjects of the key set).
    JwtModule.register({}),
    SigningKeysModule,
    PassportModule,
    UsersModule,
    SessionsModule,
    MailModule,
    AssetsModule,
  ],
  controllers: [
    AuthController,
    AccountController,
    TotpController,
    AdminTotpController,
    OAuthController,
    IdentitiesController,
  ],
  providers: [
    AuthService,
    AuthListener,
    PasswordService,
    PasswordPolicy,
    OtpService,
    LockoutService,
    TokenService,
    RefreshCookie,
    JwtStrategy,
    AuthMails,
    PurgeExpiredOtpsJob,
    TotpService,
    TotpCipher,
    TwoFactorService,
    ProviderRegistry,
    OAuthFlows,
    OAuthAccounts,
    OAuthService,
    PurgeOAuthFlowsJob,
  ],
  // For the invitations feature (its codes follow the OTP rules, its passwords the policy) and
  // the OpenID provider's hosted sign-in (the API's own login and second step).
  exports: [OtpService, PasswordPolicy, AuthService],
})
export class AuthModule {}
