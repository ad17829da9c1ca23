// Layer 14 (health check): may import state-machine, common, config, database, audit, users, credentials, settings, hosts, auth, monitoring, scheduler, events.
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MONITORING_QUEUE } from '../monitoring/queue/monitoring.constants';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [BullModule.registerQueue({ name: MONITORING_QUEUE })],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
