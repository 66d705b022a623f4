import { Module } from '@nestjs/common';
import { UsersModule } from '../../users/users.module';
import { AdminPasskeysController } from './admin-passkeys.controller';
import { LockoutModule } from '../lockout/lockout.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { TokensModule } from '../tokens/tokens.module';
import { PasskeyAuthController } from './passkey-auth.controller';
import { PasskeyCredentialsModule } from './passkey-credentials.module';
import { PasskeySignIn } from './passkey-sign-in.service';
import { PasskeysController } from './passkeys.controller';
import { PasskeysService } from './passkeys.service';

/** WebAuthn passkeys: registration and management by their owner, and username-less sign-in. */
@Module({
  imports: [PasskeyCredentialsModule, UsersModule, LockoutModule, SignInModule, TokensModule],
  controllers: [PasskeysController, PasskeyAuthController, AdminPasskeysController],
  providers: [PasskeysService, PasskeySignIn],
  // For the auth listener (a deleted user's passkeys and challenges go with them), and the
  // OpenID provider's hosted sign-in (the username-less sign-in).
  exports: [PasskeysService, PasskeySignIn, PasskeyCredentialsModule],
})
export class PasskeysModule {}
