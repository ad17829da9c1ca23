import { Body, Controller, Get, HttpStatus, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { UuidParam } from '../common/pipes';
import { badRequest } from '../common/validation';
import { CheckOutcomeDto } from './dto/check-outcome.dto';
import {
  CheckConnectivityQueryDto,
  CheckQueuedResponseDto,
  CheckStatusResponseDto,
  HistoryPageDto,
  HistoryQueryDto,
  HostStateResponseDto,
  PolicyDto,
  SchedulerDto,
  SchedulerUpdateDto,
  StatsResponseDto,
} from './dto/monitoring.dto';
import { StatsHistoryQueryDto, StatsHistoryResponseDto } from './dto/stats-history.dto';
import { MonitoringService } from './monitoring.service';
import type { MonitoringPolicy } from '../state-machine';
import { RequiresRole } from '../common/auth/auth.decorators';
import { RateLimited } from '../auth/rate-limit.guard';

const TASK_ID = /^[A-Za-z0-9_-]{1,200}$/;

@ApiTags('monitoring')
@ApiExtraModels(CheckOutcomeDto, CheckQueuedResponseDto)
@Controller('monitoring')
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @Post('hosts/:id/check-connectivity')
  @RequiresRole('operator')
  @RateLimited('jit')
  @ApiOperation({
    summary: 'Just-in-time check, ahead of every scheduled one',
    description:
      'Answers 202 at once with the task id; with wait=true answers 200 with the result once it is applied, or 202 with its status when it has not finished within timeout_ms (status queued or running) or could not be completed (status failed, with the reason in message).',
  })
  @ApiAcceptedResponse({ type: CheckQueuedResponseDto })
  @ApiOkResponse({ type: CheckOutcomeDto, description: 'wait=true: the applied result' })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  @ApiServiceUnavailableResponse({
    description: 'Redis unreachable: the check could not be queued',
  })
  async checkConnectivity(
    @Param('id', UuidParam) id: string,
    @Query() query: CheckConnectivityQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CheckQueuedResponseDto | CheckOutcomeDto> {
    const answer = await this.monitoring.checkConnectivity(
      id,
      query.wait ?? false,
      query.timeout_ms,
    );
    res.status(answer.kind === 'applied' ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return answer.body;
  }

  @Get('checks/:task_id')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Where a queued check is: queued, running, completed or failed' })
  @ApiParam({ name: 'task_id', type: String })
  @ApiOkResponse({ type: CheckStatusResponseDto })
  @ApiNotFoundResponse()
  checkStatus(@Param('task_id') taskId: string): Promise<CheckStatusResponseDto> {
    if (!TASK_ID.test(taskId)) {
      throw badRequest([{ field: 'task_id', problem: 'must be a task id this API returned' }]);
    }
    return this.monitoring.checkStatus(taskId);
  }

  @Get('hosts/:id/state')
  @RequiresRole('viewer')
  @ApiOperation({ summary: "A host's state machine: state, counters, next check, last 10 checks" })
  @ApiOkResponse({ type: HostStateResponseDto })
  @ApiNotFoundResponse()
  hostState(@Param('id', UuidParam) id: string): Promise<HostStateResponseDto> {
    return this.monitoring.hostState(id);
  }

  @Get('hosts/:id/history')
  @RequiresRole('viewer')
  @ApiOperation({ summary: "A host's checks, newest first, cursor-paginated and time-filtered" })
  @ApiOkResponse({ type: HistoryPageDto })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  history(
    @Param('id', UuidParam) id: string,
    @Query() query: HistoryQueryDto,
  ): Promise<HistoryPageDto> {
    return this.monitoring.history(id, query);
  }

  @Get('policy')
  @RequiresRole('viewer')
  @ApiOkResponse({ type: PolicyDto })
  getPolicy(): Promise<MonitoringPolicy> {
    return this.monitoring.getPolicy();
  }

  @Put('policy')
  @RequiresRole('admin')
  @ApiOperation({
    summary: 'Change the state policy',
    description:
      'Fields left out keep their current values. Every field is validated; the answer is the whole policy now in force.',
  })
  @ApiBody({ type: PolicyDto })
  @ApiOkResponse({ type: PolicyDto })
  @ApiBadRequestResponse()
  updatePolicy(@Body() body: unknown): Promise<MonitoringPolicy> {
    return this.monitoring.updatePolicy(body);
  }

  @Get('scheduler')
  @RequiresRole('viewer')
  @ApiOkResponse({ type: SchedulerDto })
  getScheduler(): Promise<SchedulerDto> {
    return this.monitoring.getScheduler();
  }

  @Put('scheduler')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Turn scheduled checks on or off (persisted; JIT checks still run)' })
  @ApiOkResponse({ type: SchedulerDto })
  @ApiBadRequestResponse()
  setScheduler(@Body() body: SchedulerUpdateDto): Promise<SchedulerDto> {
    return this.monitoring.setScheduler(body.enabled);
  }

  @Get('stats')
  @RequiresRole('viewer')
  @ApiOkResponse({ type: StatsResponseDto })
  stats(): Promise<StatsResponseDto> {
    return this.monitoring.stats();
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
    return this.monitoring.statsHistory(query.minutes);
  }
}
