/** Shown on every page in sandbox mode, so nobody mistakes the sandbox for real AWS. */
export function SandboxBanner() {
  return (
    <div
      role="region"
      aria-label="Sandbox mode"
      className="bg-amber-300 px-4 py-2 text-center text-sm text-amber-950"
    >
      <strong className="font-semibold">Sandbox mode.</strong> Roles are created in a built-in IAM emulator
      with example accounts, not in real AWS. Nothing here touches an AWS account.
    </div>
  );
}
