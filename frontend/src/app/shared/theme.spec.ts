import { nextChoice, readChoice, resolveTheme } from './theme';

describe('theme', () => {
  it('follows the system unless a scheme was picked', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('reads only known choices back', () => {
    expect(readChoice('dark')).toBe('dark');
    expect(readChoice('purple')).toBe('system');
    expect(readChoice(null)).toBe('system');
  });

  it('toggles to the other scheme than the system’s, then back to following it', () => {
    expect(nextChoice('system', false)).toBe('dark');
    expect(nextChoice('system', true)).toBe('light');
    expect(nextChoice('dark', false)).toBe('system');
  });
});
