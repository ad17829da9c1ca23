import { Injectable } from '@nestjs/common';
import { toDeliveryResponse } from '../alerts/alerts.service';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { ChannelsService } from './channels.service';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryService } from './delivery.service';
import { DispatchRepository } from './dispatch.repository';
import { ChannelTestResponseDto } from './dto/channel.dto';

/** "Send test": one message of kind `test`, sent at once, recorded like any other attempt. */
@Injectable()
export class ChannelTestService {
  constructor(
    private readonly channels: ChannelsService,
    private readonly messages: DispatchRepository,
    private readonly delivery: DeliveryService,
    private readonly deliveries: DeliveriesRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async test(channelId: string): Promise<ChannelTestResponseDto> {
    const channel = await this.channels.require(channelId);
    const messageId = await this.messages.createTestMessage(channel.id, this.clock.now());
    const result = await this.delivery.attempt(messageId, { retry: false });
    const row =
      result.kind === 'done' && result.deliveryId
        ? await this.deliveries.findById(result.deliveryId)
        : null;
    const ok = result.kind === 'done' && result.status === 'delivered';
    await this.audit.record({
      action: 'notification_channel.test',
      outcome: ok ? 'success' : 'failure',
      targetType: 'notification_channel',
      targetId: channel.id,
      details: { name: channel.name, type: channel.type, error: row?.error ?? null },
    });
    if (!row) throw new Error(`the test message for channel '${channel.name}' was not sent`);
    return { ok, delivery: toDeliveryResponse(row) };
  }
}
