import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '../common/pipes';
import { ApiTokensService } from './api-tokens.service';
import { RequiresRole } from '../common/auth/auth.decorators';
import { CurrentIdentity } from '../common/auth/current-identity.decorator';
import {
  ApiTokenResponseDto,
  CreateApiTokenDto,
  CreatedApiTokenResponseDto,
  ListApiTokensQueryDto,
} from './dto/auth.dto';
import type { Identity } from '../common/auth/identity';

@ApiTags('tokens')
@Controller('tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @RequiresRole('viewer')
  @ApiOperation({
    summary: 'Create an API token (shown once) for yourself, or as admin for a service account',
    description:
      "Its role is at most the creator's and the owner's. Send it as Authorization: Bearer <token>.",
  })
  @ApiCreatedResponse({ type: CreatedApiTokenResponseDto })
  @ApiBadRequestResponse()
  create(
    @CurrentIdentity() identity: Identity,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiTokenResponseDto> {
    return this.tokens.create(identity, dto);
  }

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({
    summary:
      "Your API tokens (admins: another account's with user_id, everyone's with all=true), with last use",
  })
  @ApiOkResponse({ type: [ApiTokenResponseDto] })
  @ApiBadRequestResponse()
  list(
    @CurrentIdentity() identity: Identity,
    @Query() query: ListApiTokensQueryDto,
  ): Promise<ApiTokenResponseDto[]> {
    return this.tokens.list(identity, query.user_id, query.all ?? false);
  }

  @Delete(':id')
  @RequiresRole('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API token (your own; admins: any)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async revoke(
    @CurrentIdentity() identity: Identity,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.tokens.revoke(identity, id);
  }
}
