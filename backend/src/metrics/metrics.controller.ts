import { Controller, Get, Headers, HttpException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { metricsAccess } from './metrics-auth';
import { MetricsService } from './metrics.service';

/**
 * GET /metrics on the main port, for Prometheus: only with METRICS_TOKEN set, and only with
 * that bearer token (user sessions and API tokens do not open it). Not part of the API
 * document: it is Prometheus's text format, not JSON.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const access = metricsAccess(this.config.metricsToken, authorization, true);
    if (!access.ok) {
      if (access.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new HttpException(
        { statusCode: access.status, message: access.message },
        access.status,
      );
    }
    const body = await this.metrics.render();
    res.setHeader('Content-Type', this.metrics.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}
