import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

/** The rbac feature's error codes, in one place. */
export enum RbacError {
  RoleExists = 'role_exists',
  RoleBuiltIn = 'role_built_in',
  RoleInUse = 'role_in_use',
  Forbidden = 'forbidden',
}

export const rbacErrors = {
  roleExists: (name: string) =>
    new DomainException(
      HttpStatus.CONFLICT,
      RbacError.RoleExists,
      `A role named "${name}" already exists.`,
    ),
  builtIn: (name: string) =>
    new DomainException(
      HttpStatus.CONFLICT,
      RbacError.RoleBuiltIn,
      `The built-in role "${name}" cannot be changed or deleted.`,
    ),
  inUse: (name: string, holders: number) =>
    new DomainException(
      HttpStatus.CONFLICT,
      RbacError.RoleInUse,
      `The role "${name}" is still held by ${holders} user(s); give them another role first.`,
    ),
  forbidden: (missing?: string) =>
    new DomainException(
      HttpStatus.FORBIDDEN,
      RbacError.Forbidden,
      missing ? `This needs the ${missing} permission.` : 'You are not allowed to do this.',
    ),
};
