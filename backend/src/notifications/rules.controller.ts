import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequiresRole } from '../common/auth/auth.decorators';
import { UuidParam } from '../common/pipes';
import { CreateRuleDto, RuleResponseDto, UpdateRuleDto } from './dto/rule.dto';
import { RulesService } from './rules.service';

@ApiTags('notifications')
@Controller('notifications/rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Post()
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Add a rule: which hosts and events go to which channels, grouped how' })
  @ApiCreatedResponse({ type: RuleResponseDto })
  @ApiBadRequestResponse({ description: 'A field is invalid, or channel_ids names no channel' })
  @ApiConflictResponse({ description: 'The name is taken' })
  create(@Body() dto: CreateRuleDto): Promise<RuleResponseDto> {
    return this.rules.create(dto);
  }

  @Get()
  @RequiresRole('admin')
  @ApiOkResponse({ type: [RuleResponseDto] })
  list(): Promise<RuleResponseDto[]> {
    return this.rules.list();
  }

  @Get(':id')
  @RequiresRole('admin')
  @ApiOkResponse({ type: RuleResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', UuidParam) id: string): Promise<RuleResponseDto> {
    return this.rules.get(id);
  }

  @Patch(':id')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Change a rule; fields left out keep their values' })
  @ApiOkResponse({ type: RuleResponseDto })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse()
  update(@Param('id', UuidParam) id: string, @Body() dto: UpdateRuleDto): Promise<RuleResponseDto> {
    return this.rules.update(id, dto);
  }

  @Delete(':id')
  @RequiresRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async delete(@Param('id', UuidParam) id: string): Promise<void> {
    await this.rules.delete(id);
  }
}
