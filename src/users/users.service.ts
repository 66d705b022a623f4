import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model } from 'mongoose';
import { conflict } from '../common/errors/domain.exception';
import { UserDto } from './dto/user.dto';
import { toUserDto } from './user.mapper';
import { User, UserStatus } from './user.schema';

export interface NewUser {
  email: string;
  passwordHash: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  role?: string;
  status?: UserStatus;
  emailVerifiedAt?: Date;
}

/** What the auth flows need to decide about a login; stays inside the server. */
export interface UserCredentials {
  user: UserDto;
  passwordHash: string;
}

const DUPLICATE_KEY = 11000;

export function isDuplicateKeyError(error: unknown): error is { code: number; keyPattern?: Record<string, unknown> } {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/** Owns the users collection; every other feature goes through here. */
@Injectable()
export class UsersService {
  constructor(@InjectModel(User.name) private readonly model: Model<User>) {}

  async findById(id: string): Promise<UserDto | null> {
    if (!isValidObjectId(id)) return null;
    const user = await this.model.findById(id).lean();
    return user ? toUserDto(user) : null;
  }

  async findByEmail(email: string): Promise<UserDto | null> {
    const user = await this.model.findOne({ email: email.trim().toLowerCase() }).lean();
    return user ? toUserDto(user) : null;
  }

  /** Login accepts an email or a username in one field. */
  async findCredentials(login: string): Promise<UserCredentials | null> {
    const key = login.trim().toLowerCase();
    const filter = key.includes('@') ? { email: key } : { username: key };
    const user = await this.model.findOne(filter).select('+passwordHash').lean();
    return user ? { user: toUserDto(user), passwordHash: user.passwordHash } : null;
  }

  async findCredentialsById(id: string): Promise<UserCredentials | null> {
    if (!isValidObjectId(id)) return null;
    const user = await this.model.findById(id).select('+passwordHash').lean();
    return user ? { user: toUserDto(user), passwordHash: user.passwordHash } : null;
  }

  /** Inserts a user; the unique indexes decide races (409 for a duplicate email or username). */
  async create(data: NewUser): Promise<UserDto> {
    try {
      const created = await this.model.create(data);
      return toUserDto(created.toObject());
    } catch (error) {
      throw this.translateDuplicate(error) ?? error;
    }
  }

  async count(): Promise<number> {
    return this.model.estimatedDocumentCount();
  }

  translateDuplicate(error: unknown) {
    if (!isDuplicateKeyError(error)) return undefined;
    const field = Object.keys(error.keyPattern ?? {})[0] ?? 'email';
    return field === 'username'
      ? conflict('username_taken', 'That username is already taken.')
      : conflict('email_taken', 'An account with that email already exists.');
  }
}
