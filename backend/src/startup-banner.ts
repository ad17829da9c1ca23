import { Logger } from '@nestjs/common';

/** A box around lines of text, for the terminal. */
export function boxed(lines: readonly string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '─'.repeat(width + 2);
  return [`┌${bar}┐`, ...lines.map((l) => `│ ${l.padEnd(width)} │`), `└${bar}┘`].join('\n');
}

/**
 * The last thing a fresh install prints: where it listens and the first admin's generated
 * login (shown this once). A boxed banner on a terminal (LOG_FORMAT=pretty); one log line
 * with the same facts as fields in JSON.
 */
export function printFirstAdminBanner(
  admin: { username: string; password: string },
  url: string,
  format: 'json' | 'pretty',
): void {
  const message =
    `No users yet and ADMIN_PASSWORD is not set: created the admin user '${admin.username}' ` +
    `with the generated password ${admin.password} . Sign in at ${url} and change it ` +
    '(POST /api/auth/password, or the console); it is not shown again.';
  if (format === 'json') {
    new Logger('hostwatch').warn({ message, url, username: admin.username });
    return;
  }
  const box = boxed([
    `hostwatch is ready: ${url}`,
    '',
    'No users yet and ADMIN_PASSWORD is not set, so the first admin was',
    'created with a generated password (the generated password is shown only now):',
    '',
    `  user name  ${admin.username}`,
    `  password   ${admin.password}`,
    '',
    'Sign in and change it (the console, or POST /api/auth/password).',
    `API docs: ${url}/api/docs`,
  ]);
  process.stdout.write(`\n${box}\n\n`);
}
