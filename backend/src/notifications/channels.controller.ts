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
import { ChannelTestService } from './channel-test.service';
import { ChannelsService } from './channels.service';
import {
  ChannelResponseDto,
  ChannelTestResponseDto,
  CreateChannelDto,
  UpdateChannelDto,
} from './dto/channel.dto';

@ApiTags('notifications')
@Controller('notifications/channels')
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly tester: ChannelTestService,
  ) {}

  @Post()
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Add a channel (webhook, slack, teams, email or alertmanager)' })
  @ApiCreatedResponse({ type: ChannelResponseDto })
  @ApiBadRequestResponse({
    description:
      'A field is missing or invalid (the error names it, e.g. config.url), or the destination is not allowed',
  })
  @ApiConflictResponse({ description: 'The name is taken' })
  create(@Body() dto: CreateChannelDto): Promise<ChannelResponseDto> {
    return this.channels.create(dto);
  }

  @Get()
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Every channel, with its latest delivery attempt; secrets never shown' })
  @ApiOkResponse({ type: [ChannelResponseDto] })
  list(): Promise<ChannelResponseDto[]> {
    return this.channels.list();
  }

  @Get(':id')
  @RequiresRole('admin')
  @ApiOkResponse({ type: ChannelResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', UuidParam) id: string): Promise<ChannelResponseDto> {
    return this.channels.get(id);
  }

  @Patch(':id')
  @RequiresRole('admin')
  @ApiOperation({
    summary: 'Change a channel',
    description:
      'Config fields left out keep their values, secrets included; a secret set to null is removed.',
  })
  @ApiOkResponse({ type: ChannelResponseDto })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse()
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateChannelDto,
  ): Promise<ChannelResponseDto> {
    return this.channels.update(id, dto);
  }

  @Delete(':id')
  @RequiresRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Rules still send to the channel' })
  async delete(@Param('id', UuidParam) id: string): Promise<void> {
    await this.channels.delete(id);
  }

  @Post(':id/test')
  @RequiresRole('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a test message now (kind "test") and answer with the attempt',
    description: 'Answers 200 whether or not the receiver accepted it: see ok and delivery.',
  })
  @ApiOkResponse({ type: ChannelTestResponseDto })
  @ApiNotFoundResponse()
  test(@Param('id', UuidParam) id: string): Promise<ChannelTestResponseDto> {
    return this.tester.test(id);
  }
}
