import { HttpBackend, HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { API } from '../api/api.service';
import type { components } from '../api/openapi.gen';
import { AUTH_REQUIRED } from './auth.config';

export type Role = 'viewer' | 'operator' | 'admin';

export interface Session {
  username: string;
  role: Role;
  accessToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
}

/*
 * The one file that knows the shapes of /api/auth/*: the rest of the console sees Session.
 * POST /api/auth/login {username,password} and POST /api/auth/refresh {refresh_token} answer
 * {access_token, refresh_token, expires_in, user: {username, role, ...}}; POST
 * /api/auth/logout (with the bearer token) ends the session. GET /api/auth/providers says
 * whether single sign-on is offered; after the IdP, POST /api/auth/oidc/session (with the
 * HttpOnly cookie the callback set) answers with the same token pair as a login.
 */
export type AuthProviders = components['schemas']['AuthProvidersResponseDto'];

interface TokenResponse {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: { username: string; role: Role };
}

const REFRESH_KEY = 'hostwatch.refresh_token';
const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Sign-in state: the short-lived access token in memory, the refresh token in storage. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  /** Bypasses the interceptor, so refreshing never loops through itself. */
  private readonly http = new HttpClient(inject(HttpBackend));
  private readonly session = signal<Session | null>(null);
  private readonly requiredByServer = signal(AUTH_REQUIRED);
  private refreshing: Promise<boolean> | null = null;

  readonly user = computed(() => this.session());
  readonly signedIn = computed(() => !this.requiredByServer() || this.session() !== null);

  /** Whether signing in is needed: AUTH_REQUIRED, or learnt from the server's first 401. */
  get required(): boolean {
    return this.requiredByServer();
  }

  /** The server answered 401: it requires sign-in, whatever this build expected. */
  markRequired(): void {
    this.requiredByServer.set(true);
  }

  /** Without auth on the backend everyone may do everything (the API refuses nothing). */
  can(role: Role): boolean {
    if (!this.required) return true;
    const s = this.session();
    return s !== null && ROLE_RANK[s.role] >= ROLE_RANK[role];
  }

  accessToken(): string | null {
    return this.session()?.accessToken ?? null;
  }

  async login(username: string, password: string): Promise<void> {
    const body = await firstValueFrom(
      this.http.post<TokenResponse>(`${API}/auth/login`, { username, password }),
    );
    this.accept(body);
  }

  /** Changes the signed-in user's own password; the account's other sessions end (204). */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await firstValueFrom(
      // The interceptor leaves /api/auth/* alone: this one needs the session's token.
      this.http.post<void>(
        `${API}/auth/password`,
        { current_password: currentPassword, new_password: newPassword },
        { headers: this.authHeaders() },
      ),
    );
  }

  /** How one can sign in here (whether to offer "Sign in with SSO"). */
  providers(): Promise<AuthProviders> {
    return firstValueFrom(this.http.get<AuthProviders>(`${API}/auth/providers`));
  }

  /** Takes over the session a single sign-on handed to this browser (once, within a minute). */
  async completeSso(): Promise<void> {
    const body = await firstValueFrom(
      this.http.post<TokenResponse>(`${API}/auth/oidc/session`, null),
    );
    this.accept(body);
  }

  /** Tries the stored refresh token once at a time; false when there is none or it is refused. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  async logout(): Promise<void> {
    const refresh = localStorage.getItem(REFRESH_KEY);
    this.session.set(null);
    localStorage.removeItem(REFRESH_KEY);
    if (refresh) {
      await firstValueFrom(this.http.post(`${API}/auth/logout`, { refresh_token: refresh })).catch(
        () => undefined,
      );
    }
  }

  /** Headers for requests made outside HttpClient (the live event stream). */
  authHeaders(): Record<string, string> {
    const token = this.accessToken();
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  private async doRefresh(): Promise<boolean> {
    const refresh = localStorage.getItem(REFRESH_KEY);
    if (!refresh) return false;
    try {
      const body = await firstValueFrom(
        this.http.post<TokenResponse>(`${API}/auth/refresh`, { refresh_token: refresh }),
      );
      this.accept(body);
      return true;
    } catch {
      this.session.set(null);
      localStorage.removeItem(REFRESH_KEY);
      return false;
    }
  }

  private accept(body: TokenResponse): void {
    localStorage.setItem(REFRESH_KEY, body.refresh_token);
    this.session.set({
      username: body.user.username,
      role: body.user.role,
      accessToken: body.access_token,
      expiresAt: Date.now() + body.expires_in * 1000,
    });
  }
}
