/** The change-password form's own checks, before the API is asked. */
export interface PasswordDraft {
  current: string;
  next: string;
  repeat: string;
}

export type PasswordProblems = Partial<Record<keyof PasswordDraft, string>>;

/** The API's minimum, said before a round trip. */
export const MIN_PASSWORD_LENGTH = 12;

export function passwordProblems(d: PasswordDraft): PasswordProblems {
  const out: PasswordProblems = {};
  if (d.current === '') out.current = 'Type your current password.';
  if (d.next.length < MIN_PASSWORD_LENGTH) {
    out.next = `The new password needs ${MIN_PASSWORD_LENGTH} characters or more.`;
  } else if (d.next === d.current) {
    out.next = 'The new password is the same as the current one.';
  }
  if (d.repeat !== d.next) out.repeat = 'The two new passwords differ.';
  return out;
}

/** Which field an API problem belongs to (`current_password`, `new_password`). */
export function passwordField(apiField: string): keyof PasswordDraft | null {
  if (apiField === 'current_password') return 'current';
  if (apiField === 'new_password') return 'next';
  return null;
}

/** An API problem with a password field as a sentence for people. */
export function passwordProblemText(problem: string): string {
  if (/^is not the current password/i.test(problem)) return 'That is not your current password.';
  const text = problem.charAt(0).toUpperCase() + problem.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
