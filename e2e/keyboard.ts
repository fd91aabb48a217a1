// Moving through a page by keyboard alone, as a person without a mouse does: Tab (or Shift+Tab)
// until the focused control is the one wanted, recognised by its role and accessible name.
import { expect, type Page } from '@playwright/test';

export interface FocusedControl {
  /** `button`, `tab`, `checkbox`, `radio`, `textbox`, `combobox`, `searchbox`… (explicit role first). */
  role: string;
  /** aria-label, else aria-labelledby's text, else the label's text, else the element's own text; spaces collapsed. */
  name: string;
}

/** What has the focus now. */
export function focusedControl(page: Page): Promise<FocusedControl> {
  return page.evaluate((): FocusedControl => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement)) return { role: '', name: '' };
    const collapse = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
    const labelledBy = element
      .getAttribute('aria-labelledby')
      ?.split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent)
      .join(' ');
    const labels = 'labels' in element ? (element as HTMLInputElement).labels : null;
    const name = collapse(
      element.getAttribute('aria-label') ??
        labelledBy ??
        (labels && labels.length > 0 ? labels[0]?.textContent : null) ??
        element.textContent,
    );
    const input = element instanceof HTMLInputElement ? element.type : '';
    const implicit =
      element instanceof HTMLButtonElement
        ? 'button'
        : input === 'checkbox' || input === 'radio'
          ? input
          : input === 'search'
            ? 'searchbox'
            : element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement
              ? 'textbox'
              : element instanceof HTMLSelectElement
                ? 'combobox'
                : element.tagName.toLowerCase();
    return { role: element.getAttribute('role') ?? implicit, name };
  });
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until the focused control has `role` and a name
 * matching `name` (a string must be equal), at most `limit` times; fails naming the control wanted.
 */
export async function tabTo(
  page: Page,
  role: string,
  name: string | RegExp,
  { backwards = false, limit = 60 }: { backwards?: boolean; limit?: number } = {},
): Promise<void> {
  const matches = (control: FocusedControl) =>
    control.role === role && (typeof name === 'string' ? control.name === name : name.test(control.name));
  const seen: string[] = [];
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const control = await focusedControl(page);
    if (matches(control)) return;
    seen.push(`${control.role} "${control.name.slice(0, 40)}"`);
  }
  expect(seen, `${backwards ? 'Shift+Tab' : 'Tab'} never reached the ${role} ${String(name)}`).toEqual([]);
}
