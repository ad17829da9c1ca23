import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole } from '../common/auth/auth.decorators';
import { AuditService } from './audit.service';
import { AuditListResponseDto, AuditQueryDto } from './dto/audit.dto';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Who did what, when, from where; newest first, filtered, paginated' })
  @ApiOkResponse({ type: AuditListResponseDto })
  @ApiBadRequestResponse()
  list(@Query() query: AuditQueryDto): Promise<AuditListResponseDto> {
    return this.audit.list(query);
  }
}
