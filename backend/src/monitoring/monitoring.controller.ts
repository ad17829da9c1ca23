import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
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
} from './dto/monitoring.dto';
import { HostMonitoringService } from './host-monitoring.service';
import { JitChecksService } from './jit-checks.service';
import { RequiresRole } from '../common/auth/auth.decorators';
import { RateLimited } from '../auth/rate-limit.guard';
import { BulkCheckDto, BulkCheckResponseDto } from './dto/bulk-check.dto';
import { HeartbeatsQueryDto, HeartbeatsResponseDto } from './dto/heartbeats.dto';
import { TransitionsQueryDto, TransitionsResponseDto } from './dto/transitions.dto';

const TASK_ID = /^[A-Za-z0-9_-]{1,200}$/;

/** JIT checks, and a host's state machine and history. */
@ApiTags('monitoring')
@ApiExtraModels(CheckOutcomeDto, CheckQueuedResponseDto)
@Controller('monitoring')
export class MonitoringController {
  constructor(
    private readonly jit: JitChecksService,
    private readonly hosts: HostMonitoringService,
  ) {}

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
    const answer = await this.jit.checkConnectivity(id, query.wait ?? false, query.timeout_ms);
    res.status(answer.kind === 'applied' ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return answer.body;
  }

  @Post('check-connectivity')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequiresRole('operator')
  @RateLimited('jit')
  @ApiOperation({
    summary: 'Just-in-time checks of several hosts, in one request',
    description:
      'Queues a JIT check of each host named (up to 500) and answers 202 with their task ids; ids that name no host are listed in not_found. The JIT rate limit counts the request once, whatever the number of hosts.',
  })
  @ApiAcceptedResponse({ type: BulkCheckResponseDto })
  @ApiBadRequestResponse()
  @ApiServiceUnavailableResponse({
    description: 'Redis unreachable: the checks could not be queued',
  })
  checkMany(@Body() body: BulkCheckDto): Promise<BulkCheckResponseDto> {
    return this.jit.checkMany(body.host_ids);
  }

  @Get('heartbeats')
  @RequiresRole('viewer')
  @ApiOperation({
    summary: "Hosts' latest results, newest first, and when each one's failing run began",
  })
  @ApiOkResponse({ type: HeartbeatsResponseDto })
  @ApiBadRequestResponse()
  heartbeats(@Query() query: HeartbeatsQueryDto): Promise<HeartbeatsResponseDto> {
    return this.hosts.heartbeats(query.host_ids, query.limit ?? 30);
  }

  @Get('transitions')
  @RequiresRole('viewer')
  @ApiOperation({ summary: "The fleet's latest state changes (last 7 days), newest first" })
  @ApiOkResponse({ type: TransitionsResponseDto })
  @ApiBadRequestResponse()
  transitions(@Query() query: TransitionsQueryDto): Promise<TransitionsResponseDto> {
    return this.hosts.recentTransitions(query.limit ?? 30);
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
    return this.jit.checkStatus(taskId);
  }

  @Get('hosts/:id/state')
  @RequiresRole('viewer')
  @ApiOperation({ summary: "A host's state machine: state, counters, next check, last 10 checks" })
  @ApiOkResponse({ type: HostStateResponseDto })
  @ApiNotFoundResponse()
  hostState(@Param('id', UuidParam) id: string): Promise<HostStateResponseDto> {
    return this.hosts.hostState(id);
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
    return this.hosts.history(id, query);
  }
}
