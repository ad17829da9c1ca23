import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsString, IsUUID, Length, Matches } from 'class-validator';
import { USER_ROLES, UserRole } from '../../common/auth/roles';
import { IsOptionalNotNull } from '../../common/validation';
import { NO_NUL, PRINTABLE } from '../../common/text-patterns';
import { PASSWORD_MAX, PASSWORD_MIN, UserResponseDto } from '../../users/dto/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 200)
  username!: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 1024)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ writeOnly: true, description: 'The refresh_token of the last login or refresh' })
  @IsString()
  @Length(1, 200)
  refresh_token!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 1024)
  current_password!: string;

  @ApiProperty({ writeOnly: true, minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsString()
  @Length(PASSWORD_MIN, PASSWORD_MAX, {
    message: `new_password must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters`,
  })
  @Matches(NO_NUL, { message: 'new_password must not contain NUL' })
  new_password!: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'Bearer token for the API (a JWT)' }) access_token!: string;
  @ApiProperty({ example: 'Bearer' }) token_type!: 'Bearer';
  @ApiProperty({ description: 'Seconds until access_token expires', example: 900 })
  expires_in!: number;
  @ApiProperty({ description: 'Single use: trade it at POST /api/auth/refresh for a new pair' })
  refresh_token!: string;
  @ApiProperty({ description: 'Seconds until the session (and its refresh tokens) expire' })
  refresh_expires_in!: number;
  @ApiProperty({ type: UserResponseDto }) user!: UserResponseDto;
}

export class IdentityResponseDto {
  @ApiProperty({ enum: ['session', 'api_token', 'oidc', 'proxy'] }) kind!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) user_id!: string | null;
  @ApiProperty() username!: string;
  @ApiProperty({ enum: USER_ROLES, description: 'The role in force for this identity' })
  role!: UserRole;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'nightly-report', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(PRINTABLE, { message: 'name must be printable text' })
  name!: string;

  @ApiPropertyOptional({
    enum: USER_ROLES,
    description: "At most the creator's role (and the owner's); defaults to the lower of the two",
  })
  @IsOptionalNotNull()
  @IsIn(USER_ROLES, { message: `role must be one of: ${USER_ROLES.join(', ')}` })
  role?: UserRole;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Never expires when absent',
  })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true }, { message: 'expires_at must be an ISO 8601 date-time' })
  expires_at?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Admins only: make the token for this service account instead of for yourself',
  })
  @IsOptionalNotNull()
  @IsUUID(undefined, { message: 'user_id must be a UUID' })
  user_id?: string;
}

export class ListApiTokensQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Admins only: another user's tokens" })
  @IsOptionalNotNull()
  @IsUUID(undefined, { message: 'user_id must be a UUID' })
  user_id?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description: "Admins only: every account's tokens (not with user_id)",
  })
  @IsOptionalNotNull()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'all must be true or false' })
  all?: boolean;
}

export class ApiTokenResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid', description: 'The account the token acts as' }) user_id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) created_by!: string | null;
  @ApiProperty({ example: 'hwt_Xy3k', description: 'The first characters, to tell tokens apart' })
  token_prefix!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expires_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_used_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revoked_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
}

export class CreatedApiTokenResponseDto extends ApiTokenResponseDto {
  @ApiProperty({
    description: 'The token itself, shown this once: send it as Authorization: Bearer <token>',
  })
  token!: string;
}

/**
 * A path inside the console: one leading slash (never `//` or `/\`, which a browser reads as
 * another host), printable URL characters only, and not under /api.
 */
export const CONSOLE_PATH = /^\/(?![/\\]|api(?:[/?#]|$))[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;

export class OidcLoginQueryDto {
  @ApiPropertyOptional({
    example: '/hosts?state=DOWN',
    maxLength: 512,
    description:
      "The console's sign-in: the console path to land on afterwards. With it the callback redirects back into the console (the tokens are collected with POST /api/auth/oidc/session) instead of answering JSON.",
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 512, { message: 'return_to must be 1-512 characters' })
  @Matches(CONSOLE_PATH, {
    message: 'return_to must be a path inside the console, such as /dashboard',
  })
  return_to?: string;
}

export class AuthProvidersResponseDto {
  @ApiProperty({ description: 'Local accounts can sign in at POST /api/auth/login' })
  password!: boolean;
  @ApiProperty({ description: 'Single sign-on through the IdP is configured (OIDC_CLIENT_ID)' })
  oidc!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '/api/auth/oidc/login',
    description: 'Where a browser starts single sign-on; null when it is not configured',
  })
  oidc_login_url!: string | null;
}
