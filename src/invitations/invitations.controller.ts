import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/public.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { AuthRateLimit } from '../common/rate/throttler.guard';
import { UserEnvelopeDto } from '../users/dto/user.dto';
import { AcceptInvitationDto } from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('auth')
@AuthRateLimit()
@Controller('auth')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  /**
   * Accepts an invitation: sets the password (the password policy applies) and verifies the
   * email; then sign in as usual. An unknown address, a wrong, used, revoked or expired code all
   * answer 400 `invalid_otp`; 429 `too_many_attempts` once the code's tries are spent.
   */
  @Public()
  @Post('accept-invitation')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(429)
  async acceptInvitation(
    @Body() dto: AcceptInvitationDto,
    @Origin() origin: RequestOrigin,
  ): Promise<UserEnvelopeDto> {
    const user = await this.invitations.accept(dto.email, dto.code, dto.password, origin);
    return { user };
  }
}
