import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { SessionsModule } from '../../sessions/sessions.module';
import { SigningKeysModule } from '../../signing-keys/signing-keys.module';
import { JwtStrategy } from './jwt.strategy';
import { RefreshCookie } from './refresh-cookie';
import { TokenService } from './token.service';

/**
 * Access and mfa tokens, the refresh cookie, and the strategy the global JwtAuthGuard runs
 * (registered with Passport when this module starts).
 */
@Module({
  imports: [
    // Keys and claims are passed per call by TokenService (KeyObjects of the key set).
    JwtModule.register({}),
    PassportModule,
    SigningKeysModule,
    SessionsModule,
  ],
  providers: [TokenService, RefreshCookie, JwtStrategy],
  exports: [TokenService, RefreshCookie, JwtStrategy],
})
export class TokensModule {}
