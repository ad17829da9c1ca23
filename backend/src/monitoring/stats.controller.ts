import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole } from '../common/auth/auth.decorators';
import { StatsResponseDto } from './dto/monitoring.dto';
import { StatsHistoryQueryDto, StatsHistoryResponseDto } from './dto/stats-history.dto';
import { StatsService } from './stats.service';

/**
 * The fleet's figures.
 */
@ApiTags('monitoring')
@Controller('monitoring')
export class StatsController {
  constructor(private readonly service: StatsService) {}

  @Get('stats')
  @RequiresRole('viewer')
  @ApiOkResponse({ type: StatsResponseDto })
  stats(): Promise<StatsResponseDto> {
    return this.service.stats();
  }

  @Get('stats/history')
  @RequiresRole('viewer')
  @ApiOperation({
    summary: 'Checks, failures and response times per minute, for the last N minutes',
    description:
      'One bucket per minute, oldest first, empty minutes as zeros; the last bucket is the current minute so far. Counts checks before `until`.',
  })
  @ApiOkResponse({ type: StatsHistoryResponseDto })
  @ApiBadRequestResponse()
  statsHistory(@Query() query: StatsHistoryQueryDto): Promise<StatsHistoryResponseDto> {
    return this.service.statsHistory(query.minutes);
  }
}
