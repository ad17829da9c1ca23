import { passwordField, passwordProblems, passwordProblemText } from './password-form';

describe('change-password form', () => {
  it('asks for the current password, a long enough new one, typed twice', () => {
    expect(passwordProblems({ current: '', next: 'short', repeat: 'other' })).toEqual({
      current: 'Type your current password.',
      next: 'The new password needs 12 characters or more.',
      repeat: 'The two new passwords differ.',
    });
    expect(
      passwordProblems({
        current: 'old-password-1',
        next: 'old-password-1',
        repeat: 'old-password-1',
      }),
    ).toEqual({ next: 'The new password is the same as the current one.' });
    expect(
      passwordProblems({
        current: 'old-password-1',
        next: 'new-password-22',
        repeat: 'new-password-22',
      }),
    ).toEqual({});
  });

  it('files the API’s problems under the form’s fields', () => {
    expect(passwordField('current_password')).toBe('current');
    expect(passwordField('new_password')).toBe('next');
    expect(passwordField('other')).toBeNull();
  });

  it('says the API’s refusals as sentences', () => {
    expect(passwordProblemText('is not the current password')).toBe(
      'That is not your current password.',
    );
    expect(passwordProblemText('this account has no password to change')).toBe(
      'This account has no password to change.',
    );
  });
});
