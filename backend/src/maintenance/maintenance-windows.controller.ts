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
import { RequiresRole } from '../common/auth/auth.decorators';
import { UuidParam } from '../common/pipes';
import {
  CreateMaintenanceWindowDto,
  ListMaintenanceWindowsQueryDto,
  MaintenanceWindowResponseDto,
  UpdateMaintenanceWindowDto,
} from './dto/maintenance-window.dto';
import { MaintenanceWindowsService } from './maintenance-windows.service';

@ApiTags('maintenance')
@Controller('maintenance-windows')
export class MaintenanceWindowsController {
  constructor(private readonly windows: MaintenanceWindowsService) {}

  @Post()
  @RequiresRole('operator')
  @ApiOperation({
    summary:
      'Add a maintenance window: one-off (starts_at, ends_at) or recurring (recurrence); its hosts are in MAINTENANCE while it is on',
  })
  @ApiCreatedResponse({ type: MaintenanceWindowResponseDto })
  @ApiBadRequestResponse({
    description:
      'A field is invalid: an end before the start or in the past, an unknown time zone, a bad cron expression',
  })
  @ApiConflictResponse({ description: 'The name is taken' })
  create(@Body() dto: CreateMaintenanceWindowDto): Promise<MaintenanceWindowResponseDto> {
    return this.windows.create(dto);
  }

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({
    summary: 'Maintenance windows by name, each with `active` and its next five occurrences',
  })
  @ApiOkResponse({ type: [MaintenanceWindowResponseDto] })
  @ApiBadRequestResponse()
  list(@Query() query: ListMaintenanceWindowsQueryDto): Promise<MaintenanceWindowResponseDto[]> {
    return this.windows.list(query);
  }

  @Get(':id')
  @RequiresRole('viewer')
  @ApiOkResponse({ type: MaintenanceWindowResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', UuidParam) id: string): Promise<MaintenanceWindowResponseDto> {
    return this.windows.get(id);
  }

  @Patch(':id')
  @RequiresRole('operator')
  @ApiOperation({
    summary:
      'Change a window; fields left out keep their values. starts_at/ends_at make it one-off, recurrence makes it recurring',
  })
  @ApiOkResponse({ type: MaintenanceWindowResponseDto })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse()
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateMaintenanceWindowDto,
  ): Promise<MaintenanceWindowResponseDto> {
    return this.windows.update(id, dto);
  }

  @Delete(':id')
  @RequiresRole('operator')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a window; hosts it holds leave maintenance at once' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async delete(@Param('id', UuidParam) id: string): Promise<void> {
    await this.windows.delete(id);
  }
}
