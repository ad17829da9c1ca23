import { Controller, MessageEvent, Sse } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { interval, map, merge, Observable, take, takeUntil } from 'rxjs';
import { AlertEventsBus } from '../alerts/alert-events.bus';
import {
  AlertOpenedEventDto,
  AlertResolvedEventDto,
  AlertUpdatedEventDto,
  DeliveryFailedEventDto,
} from '../alerts/dto/alert-event.dto';
import { RequiresRole } from '../common/auth/auth.decorators';
import { Clock } from '../common/clock';
import {
  HostCreatedEventDto,
  HostDeletedEventDto,
  HostUpdatedEventDto,
} from '../hosts/dto/host-event.dto';
import { HostEventsBus } from '../hosts/host-events.bus';
import { CheckEventDto, PingEventDto, TransitionEventDto } from './dto/event.dto';
import { EventsService } from './events.service';

/** Keep-alive period: short enough for proxies with a 30 s idle timeout. */
export const PING_INTERVAL_MS = 20_000;

@ApiTags('events')
@ApiExtraModels(CheckEventDto, TransitionEventDto, PingEventDto)
@ApiExtraModels(HostCreatedEventDto, HostUpdatedEventDto, HostDeletedEventDto)
@ApiExtraModels(
  AlertOpenedEventDto,
  AlertResolvedEventDto,
  AlertUpdatedEventDto,
  DeliveryFailedEventDto,
)
@Controller('events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly clock: Clock,
    private readonly hostEvents: HostEventsBus,
    private readonly alertEvents: AlertEventsBus,
  ) {}

  @Sse()
  // Every viewer may see every host, so the stream is the same for all identities.
  @RequiresRole('viewer')
  @ApiOperation({
    summary: 'Live check results and state transitions (Server-Sent Events)',
    description:
      'A text/event-stream. Each message has `event:` check, transition or ping and `data:` one JSON ' +
      'object of the matching schema. host_created, host_updated and host_deleted follow the ' +
      'inventory, from any API process. alert_opened and alert_resolved follow problems, ' +
      'alert_updated their acknowledgements, and ' +
      'delivery_failed a notification given up on after its last retry, from any process. Only events from the moment of connecting are sent: after a ' +
      'reconnect, read current state over REST. A ping comes every 20 s.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'One JSON object per message, by event name',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CheckEventDto) },
        { $ref: getSchemaPath(TransitionEventDto) },
        { $ref: getSchemaPath(PingEventDto) },
        { $ref: getSchemaPath(HostCreatedEventDto) },
        { $ref: getSchemaPath(HostUpdatedEventDto) },
        { $ref: getSchemaPath(HostDeletedEventDto) },
        { $ref: getSchemaPath(AlertOpenedEventDto) },
        { $ref: getSchemaPath(AlertResolvedEventDto) },
        { $ref: getSchemaPath(AlertUpdatedEventDto) },
        { $ref: getSchemaPath(DeliveryFailedEventDto) },
      ],
      discriminator: {
        propertyName: 'type',
        mapping: {
          check: getSchemaPath(CheckEventDto),
          transition: getSchemaPath(TransitionEventDto),
          ping: getSchemaPath(PingEventDto),
          host_created: getSchemaPath(HostCreatedEventDto),
          host_updated: getSchemaPath(HostUpdatedEventDto),
          host_deleted: getSchemaPath(HostDeletedEventDto),
          alert_opened: getSchemaPath(AlertOpenedEventDto),
          alert_resolved: getSchemaPath(AlertResolvedEventDto),
          alert_updated: getSchemaPath(AlertUpdatedEventDto),
          delivery_failed: getSchemaPath(DeliveryFailedEventDto),
        },
      },
    },
  })
  stream(): Observable<MessageEvent> {
    const pings = interval(PING_INTERVAL_MS).pipe(
      map(() => ({ type: 'ping' as const, at: this.clock.now().toISOString() })),
    );
    // When the process shuts down, a last ping (with the retry field every message has) and
    // the end of the stream: the console reconnects, to another API process if there is one.
    const last = this.events.closing$.pipe(
      take(1),
      map(() => ({ type: 'ping' as const, at: this.clock.now().toISOString() })),
    );
    return merge(
      merge(this.events.stream(), this.hostEvents.stream(), this.alertEvents.stream(), pings).pipe(
        takeUntil(this.events.closing$),
      ),
      last,
    ).pipe(map((event) => ({ type: event.type, data: event, retry: 3000 })));
  }
}
