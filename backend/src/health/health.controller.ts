import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { HealthCheck, type HealthCheckResult } from '@nestjs/terminus';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthService } from './health.service';
import { Public } from '../common/auth/auth.decorators';

export class HealthResponseDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: string;
  @ApiProperty({ enum: ['up', 'down'] }) database!: string;
  @ApiProperty({ enum: ['up', 'down'] }) redis!: string;
}

export class HealthComponentDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
  @ApiPropertyOptional({ description: 'What is wrong, when down' }) message?: string;
}

/** The answer of /health/live and /health/ready: every component, and those up or down apart. */
export class HealthCheckResponseDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/HealthComponentDto' },
    description: 'Components that are up',
  })
  info?: Record<string, HealthComponentDto>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/HealthComponentDto' },
    description: 'Components that are down, each with a message saying why',
  })
  error?: Record<string, HealthComponentDto>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/HealthComponentDto' },
    description: 'Every component checked',
  })
  details!: Record<string, HealthComponentDto>;
}

@ApiTags('health')
@ApiExtraModels(HealthComponentDto)
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: HealthResponseDto, description: 'Database and Redis answer' })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'One of them does not' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthResponseDto> {
    const report = await this.health.check();
    res.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  @Get('live')
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Liveness: the process and its event loop answer',
    description: "For an orchestrator's liveness probe: restart the process when it fails.",
  })
  @ApiOkResponse({ type: HealthCheckResponseDto, description: 'Alive' })
  @ApiServiceUnavailableResponse({
    type: HealthCheckResponseDto,
    description: 'The event loop lags too far behind',
  })
  live(): Promise<HealthCheckResult> {
    return this.health.live();
  }

  @Get('ready')
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary: "Readiness: database, migrations, Redis and this process's roles are up",
    description:
      "For an orchestrator's readiness probe: send traffic only while it answers 200. A 503 " +
      'names each component that is down (`database`, `migrations`, `redis`, a role: `api`, ' +
      '`scheduler`, `worker`, `jit-worker`, or `shutdown` once the process is stopping) with ' +
      'a message saying why.',
  })
  @ApiOkResponse({ type: HealthCheckResponseDto, description: 'Ready' })
  @ApiServiceUnavailableResponse({
    type: HealthCheckResponseDto,
    description: 'Something is down; `error` names it',
  })
  ready(): Promise<HealthCheckResult> {
    return this.health.ready();
  }
}
