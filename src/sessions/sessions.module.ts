import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '../users/users.module';
import { Session, SessionSchema } from './session.schema';
import { SessionsController } from './sessions.controller';
import { PurgeSessionsJob } from './purge-sessions.job';
import { SessionsListener } from './sessions.listener';
import { SessionsService } from './sessions.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Session.name, schema: SessionSchema }]),
    UsersModule,
  ],
  controllers: [SessionsController],
  providers: [SessionsService, SessionsListener, PurgeSessionsJob],
  exports: [SessionsService],
})
export class SessionsModule {}
