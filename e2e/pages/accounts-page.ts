import type { Locator, Page } from '@playwright/test';

export interface AccountFields {
  accountId?: string;
  alias?: string;
  environment?: string;
  /** A switch-role colour by name, e.g. `Yellow`. */
  color?: string;
}

async function fillAccount(scope: Locator | Page, fields: AccountFields): Promise<void> {
  if (fields.accountId !== undefined) await scope.getByLabel('Account id').fill(fields.accountId);
  if (fields.alias !== undefined) await scope.getByLabel('Alias').fill(fields.alias);
  if (fields.environment !== undefined) await scope.getByLabel('Environment').fill(fields.environment);
  if (fields.color !== undefined) await scope.getByRole('radio', { name: fields.color }).check();
}

/** `/accounts` (admins only): the target accounts, the form to add one, edit and remove links. */
export class AccountsPage {
  readonly heading: Locator;
  readonly addForm: Locator;
  readonly accountId: Locator;
  readonly alias: Locator;
  readonly environment: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Target accounts' });
    this.addForm = page.getByRole('region', { name: 'Add an account' });
    this.accountId = this.addForm.getByLabel('Account id');
    this.alias = this.addForm.getByLabel('Alias');
    this.environment = this.addForm.getByLabel('Environment');
  }

  async goto(): Promise<void> {
    await this.page.goto('/accounts');
  }

  /** Fills the add form with what is given and submits it. */
  async add(fields: AccountFields): Promise<void> {
    await fillAccount(this.addForm, fields);
    await this.addForm.getByRole('button', { name: 'Add account' }).click();
  }

  aliasCell(alias: string): Locator {
    return this.page.getByRole('rowheader', { name: alias });
  }

  /** The table row of the account with this alias. */
  row(alias: string): Locator {
    return this.page.getByRole('row').filter({ has: this.aliasCell(alias) });
  }

  async edit(alias: string): Promise<AccountEditPage> {
    await this.page.getByRole('link', { name: `Edit ${alias}` }).click();
    return new AccountEditPage(this.page, alias);
  }

  /** Removes an account: its Remove button, then the confirmation. */
  async remove(alias: string): Promise<void> {
    await this.page.getByRole('button', { name: `Remove ${alias}` }).click();
    await this.page.getByRole('button', { name: `Confirm: remove ${alias}` }).click();
  }
}

/** `/accounts/[id]`: one account's edit form. */
export class AccountEditPage {
  readonly heading: Locator;
  readonly accountId: Locator;
  readonly environment: Locator;

  constructor(
    readonly page: Page,
    alias: string,
  ) {
    this.heading = page.getByRole('heading', { level: 1, name: `Edit ${alias}` });
    this.accountId = page.getByLabel('Account id');
    this.environment = page.getByLabel('Environment');
  }

  async save(fields: AccountFields): Promise<void> {
    await fillAccount(this.page, fields);
    await this.page.getByRole('button', { name: 'Save account' }).click();
  }
}
