import { Body, Controller, ForbiddenException, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequiresRole } from '../common/auth/auth.decorators';
import { CurrentIdentity } from '../common/auth/current-identity.decorator';
import type { Identity } from '../common/auth/identity';
import { hasRole } from '../common/auth/roles';
import { bulkRole } from './bulk-request';
import { BulkCheckRateLimited } from './bulk-rate-limit.guard';
import { BulkHostsService } from './bulk-hosts.service';
import { BulkHostsDto, BulkResultDto } from './dto/bulk.dto';

@ApiTags('hosts')
@Controller('hosts')
export class BulkHostsController {
  constructor(private readonly bulk: BulkHostsService) {}

  @Post('bulk')
  @RequiresRole('operator')
  @BulkCheckRateLimited()
  @HttpCode(200)
  @ApiOperation({
    summary: 'One action on many hosts, named by ids or by the host list filter',
    description:
      'check needs the operator role (and counts once against the JIT rate limit); every other action needs admin, as on one host. Hosts are changed in batches, each in a transaction of its own. skipped lists each selected host left as it was, with the reason.',
  })
  @ApiOkResponse({ type: BulkResultDto })
  @ApiBadRequestResponse()
  @ApiServiceUnavailableResponse({ description: 'check: Redis unreachable' })
  run(@Body() dto: BulkHostsDto, @CurrentIdentity() identity: Identity): Promise<BulkResultDto> {
    const role = bulkRole(dto.action);
    if (!hasRole(identity.role, role)) {
      throw new ForbiddenException(`The action ${dto.action} needs the ${role} role`);
    }
    return this.bulk.run(dto);
  }
}
