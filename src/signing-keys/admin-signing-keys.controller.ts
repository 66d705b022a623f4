import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../common/decorators/current-actor.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { SigningKeyDto, SigningKeyListDto } from './dto/signing-key.dto';
import { SigningKeyRotation } from './signing-key-rotation.service';

@ApiTags('admin')
@RequirePermissions(Permission.SigningKeysManage)
@Controller('admin/signing-keys')
export class AdminSigningKeysController {
  constructor(private readonly rotation: SigningKeyRotation) {}

  /** The keys of the set, newest first, with their state and dates (never private material). */
  @Get()
  listSigningKeys(): SigningKeyListDto {
    return { items: this.rotation.list() };
  }

  /**
   * Rotates at once: a fresh key signs from now on; the key it replaces retires and verifies the
   * tokens it signed until they expire. 409 when JWT_SIGNING_KEY pins the key.
   */
  @Post('rotate')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(409)
  rotateSigningKey(@CurrentActor() actor: Actor): Promise<SigningKeyDto> {
    return this.rotation.rotateNow(actor);
  }
}
