import { expect, type Locator, type Page } from '@playwright/test';

export type WizardStepName = 'Select trusted entity' | 'Add permissions' | 'Name, review, and create';

/**
 * `/roles/new`: the create-role wizard (its shell, step 3 and the drafts list), by role and label.
 * The steps' own fields (trusted entity cards, policies) are reached through `page` or
 * `fieldError`; this object covers what every flow goes through.
 */
export class WizardPage {
  /** The h1 of both the wizard and the start screen. */
  readonly heading: Locator;
  /** The current step's heading (focused on each step change). */
  readonly stepHeading: Locator;
  readonly stepList: Locator;
  /** The current step in the step list (`aria-current="step"`). */
  readonly currentStep: Locator;
  /** "There is a problem": the error summary at the top of a step when Next or Submit is refused. */
  readonly errorSummary: Locator;
  readonly nextButton: Locator;
  readonly backButton: Locator;
  readonly cancelButton: Locator;
  readonly submitButton: Locator;
  /** "Saved · 12:04" (polite live region). */
  readonly saveStatus: Locator;
  readonly preview: Locator;
  readonly whoCanAssume: Locator;
  readonly trustPolicyJson: Locator;
  readonly conflictNotice: Locator;
  readonly signedOutNotice: Locator;
  readonly roleName: Locator;
  readonly roleNameStatus: Locator;
  readonly path: Locator;
  readonly description: Locator;
  readonly maxSessionHours: Locator;
  readonly roleUsers: Locator;
  readonly justification: Locator;
  readonly cancelDialog: Locator;
  readonly draftsTable: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Create role' });
    this.stepHeading = page.locator('#wizard-step-heading');
    this.stepList = page.getByRole('navigation', { name: 'Steps' });
    this.currentStep = this.stepList.locator('[aria-current="step"]');
    this.errorSummary = page.getByRole('heading', { name: 'There is a problem' }).locator('..');
    this.nextButton = page.getByRole('button', { name: 'Next', exact: true });
    this.backButton = page.getByRole('button', { name: 'Back', exact: true });
    this.cancelButton = page.getByRole('button', { name: 'Cancel', exact: true });
    this.submitButton = page.getByRole('button', { name: 'Submit request' });
    this.saveStatus = page.getByText(/^Saved · \d{1,2}:\d{2}/);
    this.preview = page.getByRole('region', { name: 'Preview' });
    this.whoCanAssume = this.preview
      .getByRole('heading', { name: 'Who can assume this role' })
      .locator('xpath=following-sibling::p[1]');
    this.trustPolicyJson = this.preview.getByLabel('Trust policy JSON', { exact: true });
    this.conflictNotice = page.getByRole('heading', { name: 'This draft was changed in another tab' });
    this.signedOutNotice = page.getByRole('heading', { name: 'Signed out' });
    this.roleName = page.getByLabel('Role name', { exact: true });
    this.roleNameStatus = page.locator('#wizard-name-status');
    this.path = page.getByLabel('Path', { exact: true });
    this.description = page.getByLabel('Description (optional)');
    this.maxSessionHours = page.getByLabel('Maximum session duration (hours)');
    this.roleUsers = page.getByLabel('People who will use the role (optional)');
    this.justification = page.getByLabel('Justification', { exact: true });
    this.cancelDialog = page.getByRole('dialog', { name: 'Leave this request?' });
    this.draftsTable = page.getByRole('table', { name: /Your wizard drafts/ });
  }

  /** Opens the wizard (`query` such as `start=blank`, `draft=<id>`, `template=<id>`). */
  async open(query = 'start=blank'): Promise<void> {
    await this.page.goto(`/roles/new${query ? `?${query}` : ''}`);
    await expect(this.heading).toBeVisible();
  }

  async openDraft(id: string): Promise<void> {
    await this.open(`draft=${encodeURIComponent(id)}`);
  }

  /** The target account on step 1, by alias or id as the select shows it. */
  async chooseAccount(aliasOrId: string): Promise<void> {
    const select = this.page.getByLabel('Target account', { exact: true });
    const option = select.locator('option', { hasText: aliasOrId }).first();
    const value = await option.getAttribute('value');
    await select.selectOption(value ?? aliasOrId);
  }

  async next(): Promise<void> {
    await this.nextButton.click();
  }

  async back(): Promise<void> {
    await this.backButton.click();
  }

  /** Goes to a step already reached through the step list. */
  async goToStep(name: WizardStepName): Promise<void> {
    await this.stepList.getByRole('button', { name: new RegExp(name) }).click();
  }

  async expectStep(name: WizardStepName): Promise<void> {
    await expect(this.stepHeading).toHaveText(name);
    await expect(this.currentStep).toContainText(name);
  }

  /** The error summary's link to one error (by its message). */
  summaryLink(message: string | RegExp): Locator {
    return this.errorSummary.getByRole('link', { name: message });
  }

  /**
   * The errors shown under the control labelled `label`: the kit's `<id>-error` list, which the
   * control names in its `aria-describedby`.
   */
  async fieldError(label: string | RegExp): Promise<Locator> {
    const control = this.page.getByLabel(label, { exact: typeof label === 'string' }).first();
    const id = await control.getAttribute('id');
    if (!id) throw new Error(`the control labelled ${String(label)} has no id`);
    return this.page.locator(`[id="${id}-error"]`);
  }

  /** The control labelled `label` is invalid and described by `message`. */
  async expectFieldError(label: string | RegExp, message: string | RegExp): Promise<void> {
    await this.expectInvalid(label);
    await expect(await this.fieldError(label)).toContainText(message);
  }

  /** The control labelled `label` is marked invalid. */
  async expectInvalid(label: string | RegExp): Promise<void> {
    await expect(this.page.getByLabel(label, { exact: typeof label === 'string' }).first()).toHaveAttribute(
      'aria-invalid',
      'true',
    );
  }

  async setRoleName(name: string): Promise<void> {
    await this.roleName.fill(name);
  }

  /** Adds a tag row and fills it (the rows are labelled "Tag n key" / "Tag n value"). */
  async addTag(key: string, value: string): Promise<void> {
    const keys = this.page.getByLabel(/^Tag \d+ key$/);
    const row = await keys.count();
    await this.page.getByRole('button', { name: 'Add tag' }).click();
    await expect(keys).toHaveCount(row + 1);
    await keys.nth(row).fill(key);
    await this.page.getByLabel(`Tag ${row + 1} value`).fill(value);
  }

  /** The review section titled as its step (or "Permissions boundary", "Tags", …). */
  reviewSection(title: string | RegExp): Locator {
    return this.page.getByRole('region', { name: title });
  }

  async editSection(title: string | RegExp): Promise<void> {
    await this.reviewSection(title).getByRole('button', { name: /^Edit/ }).click();
  }

  /** Submits and waits for the request's page; returns the request id. */
  async submit(): Promise<string> {
    await this.submitButton.click();
    await this.page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
    return new URL(this.page.url()).pathname.split('/').pop() ?? '';
  }

  /** Waits for the autosave to reach the server; returns the draft id from the address. */
  async waitForSaved(): Promise<string> {
    await expect(this.saveStatus).toBeVisible();
    await this.page.waitForURL(/[?&]draft=[0-9a-f-]{36}/);
    return new URL(this.page.url()).searchParams.get('draft') ?? '';
  }

  async cancel(choice: 'Stay' | 'Keep as draft' | 'Discard'): Promise<void> {
    await this.cancelButton.click();
    await this.cancelDialog.getByRole('button', { name: choice, exact: true }).click();
  }

  /** A row of the drafts list (start screen) by its title. */
  draftRow(title: string | RegExp): Locator {
    return this.draftsTable
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: title }) });
  }

  async resumeDraft(title: string): Promise<void> {
    await this.page.getByRole('link', { name: `Resume ${title}` }).click();
  }

  async discardDraft(title: string): Promise<void> {
    await this.page.getByRole('button', { name: `Discard ${title}` }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Discard draft' }).click();
  }
}
