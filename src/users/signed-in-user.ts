import { AuthUser } from '../common/decorators/current-user.decorator';
import { UserDto } from './dto/user.dto';

/** The caller with their user as the session check read it (cached): no second query for `/users/me`. */
export interface SignedInUser extends AuthUser {
  user: UserDto;
}
