import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DeliveryResponseDto } from '../../alerts/dto/alert.dto';
import { PageQueryDto } from '../../common/dto/page-query.dto';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../notification-vocabulary';

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID(undefined, { message: 'channel_id must be a UUID' })
  channel_id?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of: ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Attempts of messages that carried this alert',
  })
  @IsOptional()
  @IsUUID(undefined, { message: 'alert_id must be a UUID' })
  alert_id?: string;
}

export class DeliveryListResponseDto {
  @ApiProperty({ type: [DeliveryResponseDto] }) items!: DeliveryResponseDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
}
