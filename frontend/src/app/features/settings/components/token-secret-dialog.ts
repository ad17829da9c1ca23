import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, inject, OnDestroy, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { OneTimeSecret } from '../token-secret';

export interface TokenSecretData {
  name: string;
  secret: OneTimeSecret;
}

/**
 * Shows a new API token's secret, once. Closing the dialog forgets it: the console keeps no
 * copy, and the server only its hash.
 */
@Component({
  selector: 'hw-token-secret-dialog',
  imports: [MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title>Token {{ data.name }} created</h2>
    <mat-dialog-content>
      <p class="warning" data-testid="token-once">
        Copy it now: <strong>you won't see this token again.</strong> hostwatch keeps only a hash of
        it; if it is lost, revoke it and create another.
      </p>
      @if (value(); as token) {
        <code class="secret" data-testid="token-secret" tabindex="0" aria-label="The new token">{{
          token
        }}</code>
      }
      <p class="muted">Send it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
      <p role="status" class="copied" data-testid="copy-status">{{ copyStatus() }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-stroked-button type="button" (click)="copy()" data-testid="copy-token">
        Copy token
      </button>
      <button mat-flat-button type="button" [mat-dialog-close]="true" data-testid="token-done">
        Done, I have copied it
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .secret {
      display: block;
      padding: 8px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 8px;
      background: var(--mat-sys-surface-container-high);
      user-select: all;
    }
    .warning {
      font-weight: 500;
    }
    .copied {
      min-height: 1.5em;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TokenSecretDialog implements OnDestroy {
  protected readonly data = inject<TokenSecretData>(MAT_DIALOG_DATA);
  private readonly clipboard = inject(Clipboard);
  protected readonly value = signal(this.data.secret.value);
  protected readonly copyStatus = signal('');

  protected copy(): void {
    const secret = this.data.secret.value;
    const ok = secret !== null && this.clipboard.copy(secret);
    this.copyStatus.set(
      ok ? 'Copied to the clipboard.' : 'Could not copy: select the token and copy it by hand.',
    );
  }

  ngOnDestroy(): void {
    this.data.secret.forget();
    this.value.set(null);
  }
}
