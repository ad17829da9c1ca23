import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsOptionalNotNull } from '../../common/validation';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { NO_NUL, PRINTABLE } from '../../common/text-patterns';
import type { AuthMethod } from '../../common/probe.types';

export const AUTH_METHODS: AuthMethod[] = ['password', 'private_key'];

const USERNAME = /^[A-Za-z0-9_.][A-Za-z0-9_.@-]*$/;

export class CreateCredentialDto {
  @ApiProperty({ example: 'fleet-readonly', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name!: string;

  @ApiProperty({ example: 'monitor', maxLength: 64 })
  @IsString()
  @Length(1, 64)
  @Matches(USERNAME, {
    message: 'username must be a login name (letters, digits, ".", "_", "-", "@")',
  })
  username!: string;

  @ApiProperty({ enum: AUTH_METHODS })
  @IsIn(AUTH_METHODS, { message: `auth_method must be one of: ${AUTH_METHODS.join(', ')}` })
  auth_method!: AuthMethod;

  @ApiPropertyOptional({
    description: 'Write-only; required when auth_method is password.',
    writeOnly: true,
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 1024)
  @Matches(NO_NUL, { message: 'password must not contain NUL characters' })
  password?: string;

  @ApiPropertyOptional({
    description:
      'Write-only; an OpenSSH/PEM private key, required when auth_method is private_key.',
    writeOnly: true,
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 16384)
  private_key?: string;

  @ApiPropertyOptional({
    description: 'Write-only; passphrase of an encrypted private key.',
    writeOnly: true,
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 1024)
  @Matches(NO_NUL, { message: 'passphrase must not contain NUL characters' })
  passphrase?: string;

  @ApiPropertyOptional({
    description: 'Used by hosts that name no credential; at most one.',
    default: false,
  })
  @IsOptionalNotNull()
  @IsBoolean()
  is_default?: boolean;
}

/** Every field of CreateCredentialDto, optional and not nullable, except passphrase: null removes it. */
export class UpdateCredentialDto extends PartialType(
  OmitType(CreateCredentialDto, ['passphrase']),
  {
    skipNullProperties: false,
  },
) {
  @ApiPropertyOptional({
    type: String,
    writeOnly: true,
    nullable: true,
    description: 'Passphrase of the stored private key; null removes it.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 1024)
  @Matches(NO_NUL, { message: 'passphrase must not contain NUL characters' })
  passphrase?: string | null;
}

export class CredentialResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ enum: AUTH_METHODS }) auth_method!: AuthMethod;
  @ApiProperty({
    description: 'Whether a key passphrase is stored (the passphrase itself never is returned).',
  })
  has_passphrase!: boolean;
  @ApiProperty() is_default!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}
