/** Light or dark: the system's choice unless the user picked one. */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_KEY = 'hostwatch.theme';

/** A stored choice, or 'system' for anything else. */
export function readChoice(stored: string | null): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** The scheme in force. */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): 'light' | 'dark' {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/** The toolbar toggle: system → the other scheme than the system's → back to system. */
export function nextChoice(choice: ThemeChoice, systemPrefersDark: boolean): ThemeChoice {
  if (choice === 'system') return systemPrefersDark ? 'light' : 'dark';
  return 'system';
}
