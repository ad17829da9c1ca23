import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiProduces,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { streamChunks } from '../common/stream-lines';
import { RequiresRole } from '../common/auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { ExportHostsQueryDto, ImportHostsQueryDto, ImportReportDto } from './dto/host-import.dto';
import { HostsExportService } from './hosts-export.service';
import { HostImportService } from './host-import.service';
import { openUpload } from './import/upload';

/** Hosts in and out in bulk: import from CSV or an Ansible inventory, export as a stream. */
@ApiTags('hosts')
@Controller('hosts')
export class HostsTransferController {
  constructor(
    private readonly importer: HostImportService,
    private readonly exporter: HostsExportService,
    private readonly config: AppConfig,
  ) {}

  @Post('import')
  @RequiresRole('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create and update hosts from a CSV file or an Ansible inventory (INI or YAML)',
    description:
      'The file is the raw body (text/csv, application/yaml, or text/plain with ?format=) or the file field of a multipart form. Rows are matched by hostname: created or updated, or refused with the reasons, line by line. With dry_run=true nothing changes; otherwise the good rows are applied in one transaction (with atomic=true, nothing is applied if any row is refused: a 400 naming each refused line).',
  })
  @ApiConsumes('text/csv', 'application/yaml', 'text/plain', 'multipart/form-data')
  @ApiBody({
    description: 'The file',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiBadRequestResponse({ description: 'A bad file (no header, a loop of groups) or query' })
  @ApiPayloadTooLargeResponse({ description: 'Larger than IMPORT_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ description: 'A Content-Type that is no import format' })
  async import(@Req() req: Request, @Query() query: ImportHostsQueryDto): Promise<ImportReportDto> {
    const upload = await openUpload(req, query.format, this.config.importMaxBytes);
    return this.importer.import(upload.stream, {
      format: upload.format,
      dryRun: query.dry_run ?? false,
      atomic: query.atomic ?? false,
    });
  }

  @Get('export')
  @RequiresRole('viewer')
  @ApiOperation({
    summary:
      'Every host, streamed: CSV (imports back unchanged), NDJSON or an Ansible INI inventory',
    description:
      "CSV has a header row of field names, the import's columns first. Cells a spreadsheet would run as a formula (starting with =, +, - or @) are prefixed with ', which the import takes off.",
  })
  @ApiProduces('text/csv', 'application/x-ndjson', 'text/plain')
  @ApiOkResponse({ description: 'The hosts', schema: { type: 'string' } })
  @ApiBadRequestResponse()
  async export(@Query() query: ExportHostsQueryDto, @Res() res: Response): Promise<void> {
    const format = query.format ?? 'csv';
    const [type, extension] = EXPORT_TYPES[format];
    res.status(200);
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Disposition', `attachment; filename="hosts.${extension}"`);
    res.setHeader('Cache-Control', 'no-store');
    await streamChunks(res, this.exporter.export(format));
  }
}

const EXPORT_TYPES = {
  csv: ['text/csv; charset=utf-8', 'csv'],
  ndjson: ['application/x-ndjson; charset=utf-8', 'ndjson'],
  'ansible-ini': ['text/plain; charset=utf-8', 'ini'],
} as const;
