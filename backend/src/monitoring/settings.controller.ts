import { Body, Controller, Get, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequiresRole } from '../common/auth/auth.decorators';
import type { MonitoringPolicy } from '../state-machine';
import { PolicyDto, SchedulerDto, SchedulerUpdateDto } from './dto/monitoring.dto';
import { PolicyService } from './policy.service';

/**
 * The monitoring settings: the state policy and the scheduler switch.
 */
@ApiTags('monitoring')
@Controller('monitoring')
export class SettingsController {
  constructor(private readonly policy: PolicyService) {}

  @Get('policy')
  @RequiresRole('viewer')
  @ApiOkResponse({ type: PolicyDto })
  getPolicy(): Promise<MonitoringPolicy> {
    return this.policy.getPolicy();
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
    return this.policy.updatePolicy(body);
  }

  @Get('scheduler')
  @RequiresRole('viewer')
  @ApiOkResponse({ type: SchedulerDto })
  getScheduler(): Promise<SchedulerDto> {
    return this.policy.getScheduler();
  }

  @Put('scheduler')
  @RequiresRole('admin')
  @ApiOperation({
    summary: 'Turn scheduled checks on or off (persisted; JIT checks still run)',
  })
  @ApiOkResponse({ type: SchedulerDto })
  @ApiBadRequestResponse()
  setScheduler(@Body() body: SchedulerUpdateDto): Promise<SchedulerDto> {
    return this.policy.setScheduler(body.enabled);
  }
}
