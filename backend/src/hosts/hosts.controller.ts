import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { UuidParam } from '../common/pipes';
import {
  CreateHostDto,
  HostListResponseDto,
  HostResponseDto,
  ListHostsQueryDto,
  UpdateHostDto,
} from './dto/host.dto';
import { HostsService } from './hosts.service';
import { RequiresRole } from '../common/auth/auth.decorators';

@ApiTags('hosts')
@Controller('hosts')
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  @Post()
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Add a host; it is checked at once (state UNKNOWN)' })
  @ApiCreatedResponse({ type: HostResponseDto })
  @ApiBadRequestResponse()
  @ApiConflictResponse({ description: 'The hostname is taken' })
  create(@Body() dto: CreateHostDto): Promise<HostResponseDto> {
    return this.hosts.create(dto);
  }

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'List hosts, paginated, sorted and filtered' })
  @ApiOkResponse({ type: HostListResponseDto })
  @ApiBadRequestResponse()
  list(@Query() query: ListHostsQueryDto): Promise<HostListResponseDto> {
    return this.hosts.list(query);
  }

  @Get(':id')
  @RequiresRole('viewer')
  @ApiOkResponse({ type: HostResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', UuidParam) id: string): Promise<HostResponseDto> {
    return this.hosts.get(id);
  }

  @Patch(':id')
  @RequiresRole('admin')
  @ApiOkResponse({ type: HostResponseDto })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse()
  update(@Param('id', UuidParam) id: string, @Body() dto: UpdateHostDto): Promise<HostResponseDto> {
    return this.hosts.update(id, dto);
  }

  @Delete(':id')
  @RequiresRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async delete(@Param('id', UuidParam) id: string): Promise<void> {
    await this.hosts.delete(id);
  }

  @Post(':id/host-key/reset')
  @RequiresRole('operator')
  @HttpCode(200)
  @ApiOperation({ summary: 'Forget the pinned host key; the next successful check pins again' })
  @ApiOkResponse({ type: HostResponseDto })
  @ApiNotFoundResponse()
  resetHostKey(@Param('id', UuidParam) id: string): Promise<HostResponseDto> {
    return this.hosts.resetHostKey(id);
  }
}
