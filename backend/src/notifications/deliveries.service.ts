import { Injectable } from '@nestjs/common';
import { toDeliveryResponse } from '../alerts/alerts.service';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryListResponseDto, ListDeliveriesQueryDto } from './dto/delivery.dto';

/** The delivery log: every attempt, newest first. */
@Injectable()
export class DeliveriesService {
  constructor(private readonly deliveries: DeliveriesRepository) {}

  async list(query: ListDeliveriesQueryDto): Promise<DeliveryListResponseDto> {
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? 50;
    const { items, total } = await this.deliveries.list({
      channelId: query.channel_id,
      status: query.status,
      alertId: query.alert_id,
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    return { items: items.map(toDeliveryResponse), total, page, page_size: pageSize };
  }
}
