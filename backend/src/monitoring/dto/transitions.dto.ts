import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MONITORING_STATES, type MonitoringState } from '../../state-machine';

export class TransitionsQueryDto {
  @ApiPropertyOptional({ default: 30, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class RecentTransitionDto {
  @ApiProperty({ format: 'uuid' }) host_id!: string;
  @ApiProperty() hostname!: string;
  @ApiProperty({ enum: MONITORING_STATES }) from!: MonitoringState;
  @ApiProperty({ enum: MONITORING_STATES }) to!: MonitoringState;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty() task_id!: string;
  @ApiProperty({ type: String, nullable: true }) error_type!: string | null;
  @ApiProperty({ type: String, nullable: true }) error_message!: string | null;
}

export class TransitionsResponseDto {
  @ApiProperty({
    type: [RecentTransitionDto],
    description: 'State changes of the last 7 days, newest first',
  })
  items!: RecentTransitionDto[];
}
