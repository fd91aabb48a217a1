'use client';

import { useId, useState } from 'react';
import { ColorPicker } from '@/components/roles/color-picker';
import { ButtonLink } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { displayNameError, switchRoleUrl } from '@/lib/iam/switch-role-url';

/**
 * The switch-role link with the two things a person may change in it, the display name and the
 * colour, both rebuilding the link (and the sandbox's, in sandbox mode) as they change. The link
 * opens in a new tab; a display name the console would refuse shows its error beside the field
 * and takes the link away until it is fixed.
 */
export function AccessKitSwitchLink({
  signInPage,
  sandboxPage,
  account,
  roleName,
  defaultDisplayName,
  defaultColor,
}: {
  /** The console's switch-role page, e.g. `https://signin.aws.amazon.com/switchrole`. */
  signInPage: string;
  /** The sandbox's switch-role page (sandbox mode only). */
  sandboxPage: string | null;
  account: string;
  /** The path without its leading slash, then the name. */
  roleName: string;
  defaultDisplayName: string;
  defaultColor: string;
}) {
  const id = useId();
  const [displayName, setDisplayName] = useState(defaultDisplayName);
  const [color, setColor] = useState(defaultColor);
  const error = displayNameError(displayName);
  const params = { account, roleName, displayName: displayName.trim() || roleName, color };
  const url = switchRoleUrl(signInPage, params);

  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-4 md:grid-cols-[minmax(0,20rem)_1fr]">
        <Field
          id={`${id}-display-name`}
          label="Display name"
          hint="Shown in the console's navigation bar and role history; at most 64 characters."
          errors={error ? [error] : undefined}
        >
          {(control) => (
            <Input
              {...control}
              value={displayName}
              onChange={(event) => setDisplayName(event.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        <ColorPicker
          id={`${id}-color`}
          legend="Colour"
          value={color}
          onValueChange={setColor}
          hint="The console's navigation bar takes this colour while you work as the role."
        />
      </div>
      {error ? (
        <p className="text-sm text-slate-700">
          The link appears again when the display name is at most 64 characters.
        </p>
      ) : (
        <div className="flex flex-col gap-2">
          <p
            className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs break-all text-slate-800"
            aria-label="Switch-role link"
          >
            {url}
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <ButtonLink href={url} target="_blank" rel="noopener noreferrer" size="sm">
              Switch role in the console
              <span aria-hidden="true">↗</span>
              <span className="sr-only">(opens in a new tab)</span>
            </ButtonLink>
            <CopyButton text={url} label="Copy link" accessibleLabel="Copy the switch-role link" />
            {sandboxPage ? (
              <ButtonLink
                href={switchRoleUrl(sandboxPage, params)}
                target="_blank"
                rel="noopener noreferrer"
                size="sm"
                variant="secondary"
              >
                Open in sandbox
                <span aria-hidden="true">↗</span>
                <span className="sr-only">(opens in a new tab)</span>
              </ButtonLink>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}
