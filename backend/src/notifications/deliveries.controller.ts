import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole } from '../common/auth/auth.decorators';
import { DeliveriesService } from './deliveries.service';
import { DeliveryListResponseDto, ListDeliveriesQueryDto } from './dto/delivery.dto';

@ApiTags('notifications')
@Controller('notifications/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @RequiresRole('admin')
  @ApiOperation({
    summary:
      'Every delivery attempt, newest first: status, HTTP status or SMTP reply, latency, error',
  })
  @ApiOkResponse({ type: DeliveryListResponseDto })
  @ApiBadRequestResponse()
  list(@Query() query: ListDeliveriesQueryDto): Promise<DeliveryListResponseDto> {
    return this.deliveries.list(query);
  }
}
