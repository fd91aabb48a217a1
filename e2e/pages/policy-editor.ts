import { expect, type Locator, type Page } from '@playwright/test';

/** What the keyboard walk looks at: the focused input's type and its label's text. */
interface Focused {
  type: string;
  label: string;
}

/**
 * One custom policy's editor (`components/wizard/policy-editor.tsx`): the Visual | JSON tabs, the
 * visual builder's blocks and the CodeMirror JSON editor. `scope` is what holds the editor (a
 * custom policy's card), so that several policies on a page stay apart.
 *
 * The builder methods use the keyboard alone (Tab, arrows, Enter, Space, typing), as the issue's
 * acceptance asks of the Lambda-developer example.
 */
export class PolicyEditor {
  readonly visualTab: Locator;
  readonly jsonTab: Locator;
  readonly addPermissions: Locator;
  /** The JSON editor's wrapper: `data-validated` ("true" once the markers are the current text's), `data-validated-at`. */
  readonly jsonEditor: Locator;
  /** CodeMirror's content element (the textbox), once loaded. */
  readonly jsonContent: Locator;
  /** The findings count line ("No findings", "1 error, 2 warnings"). */
  readonly findingsStatus: Locator;
  readonly formatButton: Locator;

  constructor(
    readonly page: Page,
    readonly scope: Locator,
  ) {
    this.visualTab = scope.getByRole('tab', { name: 'Visual', exact: true });
    this.jsonTab = scope.getByRole('tab', { name: 'JSON', exact: true });
    this.addPermissions = scope.getByRole('button', { name: 'Add more permissions' });
    this.jsonEditor = scope.getByTestId('json-editor');
    this.jsonContent = this.jsonEditor.locator('.cm-content');
    this.findingsStatus = this.jsonEditor.getByRole('status');
    this.formatButton = scope.getByRole('button', { name: 'Format' });
  }

  /** Presses Tab until the focused element matches (at most `limit` times). */
  private async tabUntil(matches: (focused: Focused) => boolean, what: string, limit = 80): Promise<void> {
    for (let presses = 0; presses < limit; presses += 1) {
      await this.page.keyboard.press('Tab');
      const focused = await this.page.evaluate((): Focused => {
        const element = document.activeElement;
        return {
          type: element instanceof HTMLInputElement ? element.type : '',
          label: element?.closest('label')?.textContent?.trim() ?? '',
        };
      });
      if (matches(focused)) return;
    }
    throw new Error(`Tab never reached ${what}`);
  }

  /**
   * Builds a new block by keyboard alone: Add more permissions → type the service and pick the
   * first match with Enter → each action typed in the filter and checked with Space → All
   * resources. Focus must be in the editor's Visual tab (or before its Add more permissions button).
   */
  async buildByKeyboard(options: { service: string; actions: readonly string[] }): Promise<void> {
    const { page } = this;
    await this.addPermissions.focus();
    await page.keyboard.press('Enter');
    await expect(this.scope.getByRole('combobox', { name: 'Service' }).last()).toBeFocused();
    await page.keyboard.type(options.service);
    await expect(page.getByRole('option').first()).toContainText(options.service);
    await page.keyboard.press('Enter');
    // The new block is the last one: its filter box has the focus.
    const filter = this.scope.getByLabel('Filter actions').last();
    await expect(filter).toBeFocused();
    for (const action of options.actions) {
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type(action);
      await this.tabUntil(
        (focused) => focused.type === 'checkbox' && focused.label === action,
        `the ${action} checkbox`,
        20,
      );
      await page.keyboard.press('Space');
      await filter.focus();
    }
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');
    await this.tabUntil(
      (focused) => focused.type === 'radio' && focused.label.startsWith('All resources'),
      'All resources',
    );
    await page.keyboard.press('Space');
  }

  /** Opens the JSON tab and waits until CodeMirror shows the current text's findings. */
  async openJson(): Promise<void> {
    await this.jsonTab.click();
    await expect(this.jsonEditor).toHaveAttribute('data-editor', 'codemirror');
    await expect(this.jsonEditor).toHaveAttribute('data-validated', 'true');
  }
}
