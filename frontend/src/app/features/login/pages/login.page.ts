import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  OnInit,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { describeHttpError } from '../../../core/api/api-errors';
import { AuthService } from '../../../core/auth/auth.service';
import { safeNext, ssoErrorMessage, ssoLoginHref } from '../sso';

/** Local sign-in. Shown for real once the backend requires authentication (issue #4). */
@Component({
  selector: 'hw-login-page',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <main class="wrap">
      <section class="card box" aria-labelledby="login-title">
        <h1 id="login-title">Sign in to hostwatch</h1>
        @if (!auth.required) {
          <p role="status">
            This server does not require signing in yet.
            <a routerLink="/dashboard">Go to the dashboard</a>.
          </p>
        }
        <form (ngSubmit)="submit()" novalidate>
          <mat-form-field>
            <mat-label>Username</mat-label>
            <input
              matInput
              name="username"
              autocomplete="username"
              required
              [(ngModel)]="username"
            />
          </mat-form-field>
          <mat-form-field>
            <mat-label>Password</mat-label>
            <input
              matInput
              name="password"
              type="password"
              autocomplete="current-password"
              required
              [(ngModel)]="password"
            />
          </mat-form-field>
          @if (error(); as e) {
            <p class="error-text" role="alert">{{ e }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="busy() || !auth.required">
            Sign in
          </button>
        </form>
        @if (ssoHref(); as href) {
          <p class="or" aria-hidden="true">or</p>
          <a mat-stroked-button class="sso" [href]="href" data-testid="sso-login">
            Sign in with SSO
          </a>
        }
      </section>
    </main>
  `,
  styles: `
    .wrap {
      min-height: 100vh;
      display: grid;
      place-items: center;
      padding: 16px;
      box-sizing: border-box;
    }
    .box {
      width: min(400px, 100%);
    }
    form {
      display: grid;
      gap: 4px;
    }
    .or {
      text-align: center;
      margin: 12px 0 8px;
    }
    .sso {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage implements OnInit {
  /** Where to go after signing in (?next=...), only ever a path inside the console. */
  readonly next = input<string>();
  /** `done` when the IdP signed the person in and the API handed the session over. */
  readonly sso = input<string>();
  /** Why a single sign-on failed (a reason word from the API). */
  readonly ssoError = input<string | undefined>(undefined, { alias: 'sso_error' });
  protected readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  protected username = '';
  protected password = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly ssoLoginUrl = signal<string | null>(null);
  protected readonly ssoHref = computed(() => {
    const url = this.ssoLoginUrl();
    return url ? ssoLoginHref(url, this.next()) : null;
  });

  async ngOnInit(): Promise<void> {
    const reason = this.ssoError();
    if (reason) this.error.set(ssoErrorMessage(reason));
    if (this.sso() === 'done') await this.completeSso();
    try {
      const providers = await this.auth.providers();
      this.ssoLoginUrl.set(providers.oidc ? providers.oidc_login_url : null);
    } catch {
      // Without an answer the local form still works; the button stays hidden.
    }
  }

  /** Back from the IdP: take over the session handed to this browser, then go on. */
  private async completeSso(): Promise<void> {
    this.busy.set(true);
    try {
      await this.auth.completeSso();
      await this.router.navigateByUrl(safeNext(this.next()), { replaceUrl: true });
    } catch {
      this.error.set(ssoErrorMessage('collect'));
    } finally {
      this.busy.set(false);
    }
  }

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.login(this.username, this.password);
      await this.router.navigateByUrl(safeNext(this.next()));
    } catch (error) {
      const status = (error as { status?: number }).status;
      this.error.set(status === 401 ? 'Wrong username or password.' : describeHttpError(error));
    } finally {
      this.busy.set(false);
    }
  }
}
