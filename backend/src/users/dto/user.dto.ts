import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, Length, Matches } from 'class-validator';
import { USER_ROLES, UserRole } from '../../common/auth/roles';
import { USERNAME_PATTERN, USERNAME_RULE } from '../../config/app-config';
import { IsOptionalNotNull } from '../../common/validation';
import { NO_NUL } from '../../common/text-patterns';
import { USER_SOURCES, UserSource } from '../entities/user.entity';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export class CreateUserDto {
  @ApiProperty({ example: 'alice', maxLength: 100 })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: `username: ${USERNAME_RULE}` })
  username!: string;

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    writeOnly: true,
    description: 'Required unless is_service_account (service accounts use API tokens only)',
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX, {
    message: `password must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters`,
  })
  @Matches(NO_NUL, { message: 'password must not contain NUL' })
  password?: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  role!: UserRole;

  @ApiPropertyOptional({
    default: false,
    description: 'A non-person account for scripts: no password, acts only through API tokens',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  is_service_account?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptionalNotNull()
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  role?: UserRole;

  @ApiPropertyOptional({
    description: 'false disables the account: its sessions and tokens stop working',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    writeOnly: true,
    description: "Sets a new password and ends the user's sessions",
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX, {
    message: `password must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters`,
  })
  @Matches(NO_NUL, { message: 'password must not contain NUL' })
  password?: string;
}

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty() is_active!: boolean;
  @ApiProperty() is_service_account!: boolean;
  @ApiProperty({ enum: USER_SOURCES, description: 'Where the account came from' })
  source!: UserSource;
  @ApiProperty() has_password!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_login_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}
