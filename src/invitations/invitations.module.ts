import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MailModule } from '../mail/mail.module';
import { RbacModule } from '../rbac/rbac.module';
import { UsersModule } from '../users/users.module';
import { InvitationMails } from './invitation-mails';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';

/** Admin-created accounts and their invitation codes, over users (accounts) and auth (codes). */
@Module({
  imports: [UsersModule, AuthModule, MailModule, RbacModule],
  controllers: [InvitationsController],
  providers: [InvitationsService, InvitationMails],
  exports: [InvitationsService],
})
export class InvitationsModule {}
