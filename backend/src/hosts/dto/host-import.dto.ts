import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IMPORT_FORMATS, type ImportFormat } from '../import/import-record';
import { HOST_EXPORT_FORMATS, type HostExportFormat } from '../hosts-export.service';

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ImportHostsQueryDto {
  @ApiPropertyOptional({
    enum: IMPORT_FORMATS,
    description:
      "The file's format; wins over the Content-Type (text/csv: csv, application/yaml: ansible-yaml). Needed for text/plain.",
  })
  @IsOptional()
  @IsIn(IMPORT_FORMATS, { message: `format must be one of: ${IMPORT_FORMATS.join(', ')}` })
  format?: ImportFormat;

  @ApiPropertyOptional({ default: false, description: 'Report what would happen; change nothing' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'dry_run must be true or false' })
  dry_run?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Apply nothing if any row is refused (a 400 naming each refused line)',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'atomic must be true or false' })
  atomic?: boolean;
}

export const IMPORT_ACTIONS = ['create', 'update', 'refuse'] as const;

export class ImportRowDto {
  @ApiProperty({ description: 'The line of the file the host is on (the header is line 1)' })
  line!: number;
  @ApiProperty() hostname!: string;
  @ApiProperty({ enum: IMPORT_ACTIONS }) action!: (typeof IMPORT_ACTIONS)[number];
  @ApiProperty({ type: [String], example: ['port: must be a whole number from 1 to 65535'] })
  errors!: string[];
}

export class ImportReportDto {
  @ApiProperty() dry_run!: boolean;
  @ApiProperty({ description: 'Hosts created (with dry_run: that would be)' }) created!: number;
  @ApiProperty({ description: 'Hosts updated, matched by hostname' }) updated!: number;
  @ApiProperty({ description: 'Rows refused' }) refused!: number;
  @ApiProperty({ type: [ImportRowDto] }) rows!: ImportRowDto[];
}

export class ExportHostsQueryDto {
  @ApiPropertyOptional({ enum: HOST_EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(HOST_EXPORT_FORMATS, {
    message: `format must be one of: ${HOST_EXPORT_FORMATS.join(', ')}`,
  })
  format?: HostExportFormat;
}
