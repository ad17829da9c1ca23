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
import { CreateUserDto, UpdateUserDto, UserResponseDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Create a user (or a service account, which acts through API tokens)' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiBadRequestResponse()
  @ApiConflictResponse({ description: 'The username is taken' })
  create(@Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return this.users.create(dto);
  }

  @Get()
  @RequiresRole('admin')
  @ApiOkResponse({ type: [UserResponseDto] })
  list(): Promise<UserResponseDto[]> {
    return this.users.list();
  }

  @Get(':id')
  @RequiresRole('admin')
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', UuidParam) id: string): Promise<UserResponseDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Change role, disable or enable, or set a new password' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiBadRequestResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'That would leave no active admin' })
  update(@Param('id', UuidParam) id: string, @Body() dto: UpdateUserDto): Promise<UserResponseDto> {
    return this.users.update(id, dto);
  }

  @Delete(':id')
  @RequiresRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'That would leave no active admin' })
  async delete(@Param('id', UuidParam) id: string): Promise<void> {
    await this.users.delete(id);
  }
}
