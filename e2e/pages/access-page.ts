import type { Locator, Page } from '@playwright/test';

/** `/access` (admins only): granting and revoking portal roles, and signing a person out everywhere. */
export class AccessPage {
  readonly heading: Locator;
  /** The list of role assignments, the page's content that others must never see. */
  readonly portalRolesHeading: Locator;
  readonly grantTo: Locator;
  readonly email: Locator;
  readonly groupName: Locator;
  readonly role: Locator;
  readonly accounts: Locator;
  readonly grantButton: Locator;
  readonly granted: Locator;
  readonly personToSignOut: Locator;
  readonly signOutEverywhereButton: Locator;
  readonly signedOutSessions: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Access' });
    this.portalRolesHeading = page.getByRole('heading', { name: 'Portal roles' });
    this.grantTo = page.getByLabel('Grant to');
    this.email = page.getByLabel('E-mail address');
    this.groupName = page.getByLabel('Group name');
    this.role = page.getByLabel('Role', { exact: true });
    this.accounts = page.getByLabel('Accounts (approvers only; empty for every account)');
    this.grantButton = page.getByRole('button', { name: 'Grant role' });
    this.granted = page.getByText('Role granted.');
    this.personToSignOut = page.getByLabel('Person to sign out (e-mail)');
    this.signOutEverywhereButton = page.getByRole('button', { name: 'Sign out everywhere' });
    this.signedOutSessions = page.getByText(/^Signed out of [1-9]\d* sessions?\.$/);
  }

  async goto(): Promise<void> {
    await this.page.goto('/access');
  }

  /** Fills the grant form for a person (an e-mail address) and submits it. */
  async grantToPerson(email: string, role?: 'requester' | 'approver' | 'admin'): Promise<void> {
    await this.email.fill(email);
    if (role) await this.role.selectOption(role);
    await this.grantButton.click();
  }

  /** Fills the grant form for an identity-provider group and submits it. */
  async grantToGroup(group: string, { accounts }: { accounts?: string } = {}): Promise<void> {
    await this.grantTo.selectOption('group');
    await this.groupName.fill(group);
    if (accounts !== undefined) await this.accounts.fill(accounts);
    await this.grantButton.click();
  }

  revokeButton(role: string, subject: string): Locator {
    return this.page.getByRole('button', { name: `Revoke ${role} from ${subject}` });
  }

  async signOutEverywhere(email: string): Promise<void> {
    await this.personToSignOut.fill(email);
    await this.signOutEverywhereButton.click();
  }
}
