import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '../common/pipes';
import { CredentialsService } from './credentials.service';
import {
  CreateCredentialDto,
  CredentialResponseDto,
  UpdateCredentialDto,
} from './dto/credential.dto';
import { RequiresRole } from '../common/auth/auth.decorators';

@ApiTags('credentials')
@Controller('credentials')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Post()
  @RequiresRole('admin')
  @ApiCreatedResponse({ type: CredentialResponseDto })
  @ApiBadRequestResponse({
    description: 'A field is missing or invalid, or the private key does not parse',
  })
  @ApiConflictResponse({ description: 'The name is taken' })
  create(@Body() dto: CreateCredentialDto): Promise<CredentialResponseDto> {
    return this.credentials.create(dto);
  }

  @Get()
  @RequiresRole('admin')
  @ApiOkResponse({ type: [CredentialResponseDto] })
  list(): Promise<CredentialResponseDto[]> {
    return this.credentials.list();
  }

  @Get(':id')
  @RequiresRole('admin')
  @ApiOkResponse({ type: CredentialResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', UuidParam) id: string): Promise<CredentialResponseDto> {
    return this.credentials.get(id);
  }

  @Patch(':id')
  @RequiresRole('admin')
  @ApiOkResponse({ type: CredentialResponseDto })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse()
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateCredentialDto,
  ): Promise<CredentialResponseDto> {
    return this.credentials.update(id, dto);
  }

  @Delete(':id')
  @RequiresRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Hosts still use the credential' })
  async delete(@Param('id', UuidParam) id: string): Promise<void> {
    await this.credentials.delete(id);
  }
}
