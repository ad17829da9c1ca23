import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import {
  nextChoice,
  readChoice,
  resolveTheme,
  THEME_KEY,
  type ThemeChoice,
} from '../../shared/theme';

export type { ThemeChoice } from '../../shared/theme';

/**
 * Light or dark colours: the system's setting unless the user picks one (kept in this
 * browser). The choice is a `color-scheme` on the document, which the Material theme and the
 * console's own colours follow.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly media = matchMedia('(prefers-color-scheme: dark)');
  private readonly systemDark = signal(this.media.matches);
  readonly choice = signal<ThemeChoice>(readChoice(localStorage.getItem(THEME_KEY)));
  readonly scheme = computed(() => resolveTheme(this.choice(), this.systemDark()));

  constructor() {
    const listener = (e: MediaQueryListEvent) => {
      this.systemDark.set(e.matches);
      this.apply();
    };
    this.media.addEventListener('change', listener);
    inject(DestroyRef).onDestroy(() => this.media.removeEventListener('change', listener));
    this.apply();
  }

  choose(choice: ThemeChoice): void {
    this.choice.set(choice);
    if (choice === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
    this.apply();
  }

  /** The toolbar's toggle. */
  toggle(): void {
    this.choose(nextChoice(this.choice(), this.systemDark()));
  }

  private apply(): void {
    const root = document.documentElement;
    root.dataset['theme'] = this.scheme();
    root.style.colorScheme = this.scheme();
  }
}
