import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '../config/app-config';
import { metricsAccess } from './metrics-auth';
import { MetricsService } from './metrics.service';

/**
 * METRICS_PORT: a listener of its own on METRICS_HOST (127.0.0.1 by default) that serves only
 * GET /metrics, so that metrics can be scraped on an address the API is not on, and from
 * processes without the api role. Worker processes started by WORKER_PROCESSES listen on
 * METRICS_PORT + their slot (1, 2, ...). With METRICS_TOKEN set, it asks for the token too.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  /** The address it listens on, once listening. */
  get address(): AddressInfo | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const base = this.config.metricsPort;
    if (base === null) return;
    const port = base === 0 ? 0 : base + this.config.workerSlot;
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'GET' || path !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Only GET /metrics is here\n');
        return;
      }
      const access = metricsAccess(this.config.metricsToken, req.headers.authorization, false);
      if (!access.ok) {
        res
          .writeHead(access.status, {
            'Content-Type': 'text/plain',
            'WWW-Authenticate': 'Bearer realm="metrics"',
          })
          .end(`${access.message}\n`);
        return;
      }
      this.metrics.render().then(
        (body) => res.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(body),
        (error: Error) => {
          this.logger.error(`Metrics could not be rendered: ${error.message}`);
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.metricsHost, () => resolve());
    });
    this.server = server;
    const address = this.address!;
    this.logger.log(`Metrics on http://${this.config.metricsHost}:${address.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
