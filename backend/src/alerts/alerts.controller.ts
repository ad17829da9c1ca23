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
import { AlertsService } from './alerts.service';
import { AlertDetailResponseDto, AlertListResponseDto, ListAlertsQueryDto } from './dto/alert.dto';

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
}
