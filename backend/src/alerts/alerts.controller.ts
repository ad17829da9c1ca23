import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequiresRole } from '../common/auth/auth.decorators';
import { CurrentIdentity } from '../common/auth/current-identity.decorator';
import type { Identity } from '../common/auth/identity';
import { UuidParam } from '../common/pipes';
import { AlertsService } from './alerts.service';
import {
  AckAlertDto,
  AlertDetailResponseDto,
  AlertListResponseDto,
  AlertResponseDto,
  ListAlertsQueryDto,
} from './dto/alert.dto';

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({
    summary: 'Problems, paginated: open ones first, newest first, then resolved ones',
  })
  @ApiOkResponse({ type: AlertListResponseDto })
  @ApiBadRequestResponse()
  list(@Query() query: ListAlertsQueryDto): Promise<AlertListResponseDto> {
    return this.alerts.list(query);
  }

  @Get(':id')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'One problem, with the delivery attempts of its notifications' })
  @ApiOkResponse({ type: AlertDetailResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', UuidParam) id: string): Promise<AlertDetailResponseDto> {
    return this.alerts.get(id);
  }

  @Post(':id/ack')
  @RequiresRole('operator')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Acknowledge an open problem: who and why; no reminders or escalations while it holds. Sticky: kept through state changes until recovery',
  })
  @ApiOkResponse({ type: AlertResponseDto })
  @ApiBadRequestResponse({ description: 'A field is invalid, or expires_at is not in the future' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The problem is resolved' })
  acknowledge(
    @Param('id', UuidParam) id: string,
    @Body() dto: AckAlertDto,
    @CurrentIdentity() identity: Identity,
  ): Promise<AlertResponseDto> {
    return this.alerts.acknowledge(id, dto, identity);
  }

  @Delete(':id/ack')
  @RequiresRole('operator')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the acknowledgement of an open problem' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The problem is resolved' })
  async unacknowledge(@Param('id', UuidParam) id: string): Promise<void> {
    await this.alerts.unacknowledge(id);
  }
}
