import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { describeHttpError } from '../../../core/api/api-errors';
import { AuthService } from '../../../core/auth/auth.service';

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
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  /** Where to go after signing in (?next=...), only ever a path inside the console. */
  readonly next = input<string>();
  protected readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  protected username = '';
  protected password = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.login(this.username, this.password);
      const next = this.next();
      await this.router.navigateByUrl(
        next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard',
      );
    } catch (error) {
      const status = (error as { status?: number }).status;
      this.error.set(status === 401 ? 'Wrong username or password.' : describeHttpError(error));
    } finally {
      this.busy.set(false);
    }
  }
}
