import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, RequiresRole } from '../common/auth/auth.decorators';
import { AuthService, toIdentityResponse } from './auth.service';
import { CurrentIdentity } from '../common/auth/current-identity.decorator';
import {
  AuthProvidersResponseDto,
  ChangePasswordDto,
  IdentityResponseDto,
  LoginDto,
  OidcLoginQueryDto,
  RefreshDto,
  TokenResponseDto,
} from './dto/auth.dto';
import type { Identity } from '../common/auth/identity';
import {
  consoleLoginUrl,
  OIDC_COOKIE,
  OidcLoginService,
  SSO_HANDOFF_COOKIE,
  SSO_HANDOFF_SECONDS,
  ssoFailureReason,
} from './oidc-login.service';
import { RateLimited } from './rate-limit.guard';

const OIDC_COOKIE_PATH = '/api/auth/oidc';

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcLoginService,
  ) {}

  @Post('login')
  @Public()
  @RateLimited('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in with a local account: a short-lived access token and a refresh token',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse()
  @ApiUnauthorizedResponse({ description: 'Wrong username or password, or a disabled account' })
  login(@Body() dto: LoginDto): Promise<TokenResponseDto> {
    return this.auth.login(dto.username, dto.password);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Trade a refresh token for a new pair',
    description:
      'Each refresh token works once. Presenting a used one again ends its whole session.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse()
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, used or revoked refresh token' })
  refresh(@Body() dto: RefreshDto): Promise<TokenResponseDto> {
    return this.auth.refresh(dto.refresh_token);
  }

  @Post('logout')
  @RequiresRole('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'End this login session: its access and refresh tokens stop working' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'The request does not come from a login session' })
  async logout(@CurrentIdentity() identity: Identity): Promise<void> {
    await this.auth.logout(identity);
  }

  @Get('me')
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Who the caller is, and the role in force' })
  @ApiOkResponse({ type: IdentityResponseDto })
  me(@CurrentIdentity() identity: Identity): IdentityResponseDto {
    return toIdentityResponse(identity);
  }

  @Post('password')
  @RequiresRole('viewer')
  @HttpCode(204)
  @ApiOperation({ summary: "Change one's own password; other sessions of the account end" })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'Wrong current password, or a new one that is too short' })
  async changePassword(
    @CurrentIdentity() identity: Identity,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(identity, dto.current_password, dto.new_password);
  }

  @Get('providers')
  @Public()
  @ApiOperation({ summary: 'How one can sign in here: local accounts, single sign-on' })
  @ApiOkResponse({ type: AuthProvidersResponseDto })
  providers(): AuthProvidersResponseDto {
    const oidc = this.oidc.enabled;
    return { password: true, oidc, oidc_login_url: oidc ? '/api/auth/oidc/login' : null };
  }

  @Get('oidc/login')
  @Public()
  @ApiOperation({
    summary: 'Single sign-on: redirect to the IdP (authorization code + PKCE)',
    description:
      'Sets a short-lived sealed cookie holding the state, nonce and PKCE verifier. With return_to the callback sends the browser back into the console.',
  })
  @ApiFoundResponse({ description: "Redirect to the IdP's authorization endpoint" })
  @ApiBadRequestResponse({ description: 'return_to is not a console path' })
  @ApiNotFoundResponse({ description: 'Single sign-on is not configured' })
  async oidcLogin(@Query() query: OidcLoginQueryDto, @Res() res: Response): Promise<void> {
    let started: Awaited<ReturnType<OidcLoginService['start']>>;
    try {
      started = await this.oidc.start(query.return_to);
    } catch (error) {
      if (query.return_to === undefined) throw error;
      // The console's button: back to its login page with a message, never a JSON error.
      res.redirect(
        302,
        consoleLoginUrl(query.return_to, { ok: false, reason: ssoFailureReason(error) }),
      );
      return;
    }
    const { location, cookie, secure } = started;
    res.cookie(OIDC_COOKIE, cookie, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: OIDC_COOKIE_PATH,
      maxAge: 600_000,
    });
    res.redirect(302, location);
  }

  @Get('oidc/callback')
  @Public()
  @ApiOperation({
    summary: 'Single sign-on: where the IdP sends the browser back; answers with hostwatch tokens',
    description:
      'A login the console started (return_to) is redirected instead: to /login?sso=done&next=... with the session in a one-minute HttpOnly cookie for POST /api/auth/oidc/session, or to /login?sso_error=<reason>&next=... Reasons: expired, state_mismatch, denied, idp_error, failed, no_role, no_username, conflict, disabled, not_configured, unavailable.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiFoundResponse({ description: "A console login: back into the console's login page" })
  @ApiBadRequestResponse({ description: 'No sign-on in progress from this browser' })
  @ApiUnauthorizedResponse({
    description: 'The IdP refused, or state, nonce or PKCE did not match',
  })
  @ApiForbiddenResponse({ description: 'The IdP user has no claim value that maps to a role' })
  @ApiConflictResponse({ description: 'A local account already has that username' })
  @ApiNotFoundResponse({ description: 'Single sign-on is not configured' })
  async oidcCallback(
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenResponseDto | void> {
    const sealed = readCookie(req, OIDC_COOKIE);
    res.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
    const returnTo = this.oidc.consoleReturn(query, sealed);
    if (returnTo === null) return this.oidc.finish(query, sealed);
    try {
      const pair = await this.oidc.finish(query, sealed);
      res.cookie(SSO_HANDOFF_COOKIE, this.oidc.sealHandoff(pair), {
        httpOnly: true,
        sameSite: 'strict',
        secure: this.oidc.secureCookies,
        path: OIDC_COOKIE_PATH,
        maxAge: SSO_HANDOFF_SECONDS * 1000,
      });
      res.redirect(302, consoleLoginUrl(returnTo, { ok: true }));
    } catch (error) {
      res.redirect(302, consoleLoginUrl(returnTo, { ok: false, reason: ssoFailureReason(error) }));
    }
  }

  @Post('oidc/session')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Single sign-on: the console collects the session the callback handed over',
    description:
      'Reads the one-minute HttpOnly cookie the callback set for a console login, once, and answers with a fresh token pair.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({ description: 'No sign-on to complete from this browser, or too old' })
  @ApiUnauthorizedResponse({ description: 'The handed-over session was already collected' })
  async oidcSession(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenResponseDto> {
    const sealed = readCookie(req, SSO_HANDOFF_COOKIE);
    res.clearCookie(SSO_HANDOFF_COOKIE, { path: OIDC_COOKIE_PATH });
    return this.oidc.collect(sealed);
  }
}
