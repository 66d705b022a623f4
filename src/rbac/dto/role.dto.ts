import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsString, Matches } from 'class-validator';
import { ALL_PERMISSIONS, Permission } from '../permissions';

export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_-]{1,31}$/;

/** A set of known permissions (repeats count once): an unknown one is 400. */
const PermissionsField = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? [...new Set(value)] : value,
    ),
    IsArray(),
    IsIn(ALL_PERMISSIONS, { each: true, message: 'each must be a known permission' }),
    ApiProperty({
      enum: Permission,
      enumName: 'Permission',
      isArray: true,
      example: ['users:read'],
    }),
  );

export class CreateRoleDto {
  /** Lower-case letters, digits, `_` or `-`, starting with a letter; 2-32 characters. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Matches(ROLE_NAME_PATTERN, {
    message: 'must be 2-32 lower-case letters, digits, _ or -, starting with a letter',
  })
  @ApiProperty({ example: 'support', pattern: ROLE_NAME_PATTERN.source })
  name!: string;

  @PermissionsField()
  permissions!: Permission[];
}

export class UpdateRoleDto {
  @PermissionsField()
  permissions!: Permission[];
}

export class RoleDto {
  @ApiProperty({ example: 'support' })
  name!: string;
  @ApiProperty({ enum: Permission, enumName: 'Permission', isArray: true })
  permissions!: Permission[];
  /** `user` and `admin`: cannot be changed or deleted. */
  builtIn!: boolean;
}

export class RoleListDto {
  items!: RoleDto[];
}
