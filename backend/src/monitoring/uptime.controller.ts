import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequiresRole } from '../common/auth/auth.decorators';
import { UuidParam } from '../common/pipes';
import {
  FleetUptimeQueryDto,
  HostsUptimeQueryDto,
  HostsUptimeResponseDto,
  UptimeQueryDto,
  UptimeResponseDto,
} from './dto/uptime.dto';
import { UptimeService } from './uptime.service';

/** Uptime and SLA: time in each state over a window, per host and per tag. */
@ApiTags('monitoring')
@Controller('monitoring')
export class UptimeController {
  constructor(private readonly uptime: UptimeService) {}

  @Get('hosts/:id/uptime')
  @RequiresRole('viewer')
  @ApiOperation({ summary: "A host's share of time in each state, and its availability" })
  @ApiOkResponse({ type: UptimeResponseDto })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  host(
    @Param('id', UuidParam) id: string,
    @Query() query: UptimeQueryDto,
  ): Promise<UptimeResponseDto> {
    return this.uptime.host(id, query);
  }

  @Get('uptime')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'The same over every host carrying a tag (or every host), summed' })
  @ApiOkResponse({ type: UptimeResponseDto })
  @ApiBadRequestResponse()
  fleet(@Query() query: FleetUptimeQueryDto): Promise<UptimeResponseDto> {
    return this.uptime.fleet(query);
  }

  @Get('uptime/hosts')
  @RequiresRole('viewer')
  @ApiOperation({
    summary: 'Each of several hosts apart (a page of the host list), over one window',
  })
  @ApiOkResponse({ type: HostsUptimeResponseDto })
  @ApiBadRequestResponse()
  hosts(@Query() query: HostsUptimeQueryDto): Promise<HostsUptimeResponseDto> {
    return this.uptime.eachHost(query);
  }
}
