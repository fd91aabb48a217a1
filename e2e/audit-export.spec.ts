// The audit log's CSV export, in Chromium: Carol filters the log, reaches "Export CSV" with the
// keyboard and downloads every matching event (all pages) as an attachment; a reason a
// spreadsheet would run as a formula (Bob's rejection comment) arrives escaped.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expectNoSeriousViolations } from './accessibility';
import { expect, test } from './fixtures';
import { AuditPage } from './pages/audit-page';
import {
  fillReview,
  IDENTITY,
  justifyFlags,
  nextTo,
  PRODUCTION,
  selectManagedPolicy,
  startBlank,
  uniqueRoleName,
} from './wizard-flows';

test('Carol exports the filtered audit log as CSV, formulas escaped', async ({ asAlice, asBob, asCarol }) => {
  test.setTimeout(90_000);
  // Alice submits from the wizard.
  const reason = '=HYPERLINK("http://evil.example","not needed")';
  const name = uniqueRoleName('audit-export');
  const wizard = await startBlank(asAlice, PRODUCTION);
  await asAlice.getByRole('combobox', { name: 'Account ID' }).fill(IDENTITY);
  await nextTo(wizard, 'Add permissions');
  await selectManagedPolicy(asAlice, 'AmazonS3ReadOnlyAccess');
  await expect(asAlice.getByText('Updating…', { exact: true })).toHaveCount(0);
  await justifyFlags(wizard, 'The reporting job reads these');
  await nextTo(wizard, 'Name, review, and create');
  await fillReview(wizard, { name, justification: 'Audit export end-to-end test' });
  const id = await wizard.submit();
  // Bob rejects it with a comment that starts like a formula.
  await asBob.goto(`/requests/${id}`);
  await asBob.getByLabel('Comment', { exact: true }).fill(reason);
  await asBob.getByRole('button', { name: 'Reject', exact: true }).click();
  await expect(asBob.getByText('Rejected', { exact: true }).first()).toBeVisible();

  // Carol: the events of that request, then Export CSV reached with the keyboard.
  await asCarol.setViewportSize({ width: 1280, height: 800 });
  const audit = new AuditPage(asCarol);
  await audit.goto();
  await audit.requestId.fill(id);
  await audit.filter();
  await expect(asCarol).toHaveURL(new RegExp(`request=${id}`));
  const exportLink = asCarol.getByRole('link', { name: 'Export CSV' });
  await expect(exportLink).toHaveAttribute('href', `/api/audit/export?request=${id}`);
  await expect(asCarol.getByText('Every event matching the filters, all pages, newest first.')).toBeVisible();
  await expectNoSeriousViolations(asCarol, '/audit filtered');
  const dir = path.resolve(import.meta.dirname, '..', 'test-results', 'audit-export');
  mkdirSync(dir, { recursive: true });
  await asCarol.screenshot({ path: path.join(dir, 'audit-filtered.png') });

  await exportLink.focus();
  await expect(exportLink).toBeFocused();
  const downloading = asCarol.waitForEvent('download');
  await asCarol.keyboard.press('Enter');
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^rolesmith-audit-\d{8}-\d{4}\.csv$/);
  const text = await readFile((await download.path()) ?? '', 'utf8');
  const records = text.split('\r\n').filter(Boolean);
  expect(records[0]).toBe(
    'event_id,time_utc,actor_id,actor_name,actor_email,request_id,role_name,account_id,account_alias,from_state,to_state,reason,request_version,spec_sha256',
  );
  // Created, submitted, rejected: newest first, every one naming the request.
  expect(records).toHaveLength(4);
  expect(records.slice(1).every((record) => record.includes(`,${id},${name},${PRODUCTION},`))).toBe(true);
  expect(records[1]).toContain(',pending,rejected,');
  expect(records[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""not needed"")"`);
  // The page is still the audit log (the download did not navigate).
  await expect(audit.heading).toBeVisible();
});
