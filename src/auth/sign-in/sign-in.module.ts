import { Module } from '@nestjs/common';
import { SessionsModule } from '../../sessions/sessions.module';
import { UsersModule } from '../../users/users.module';
import { SecondStepsModule } from '../second-steps/second-steps.module';
import { TokensModule } from '../tokens/tokens.module';
import { SignInService } from './sign-in.service';

/**
 * The end of every first step (password, provider): a second step or a session. Its own module
 * so the provider flows use it without importing the auth module that imports them.
 */
@Module({
  imports: [SecondStepsModule, TokensModule, SessionsModule, UsersModule],
  providers: [SignInService],
  exports: [SignInService, SecondStepsModule],
})
export class SignInModule {}
