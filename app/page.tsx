import { connection } from 'next/server';
import { ButtonLink, TextLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getEnv } from '@/lib/env';

const steps = [
  {
    title: 'Compose',
    text: 'Pick who may assume the role (another AWS account, an AWS service, a web identity or SAML provider), its permissions, name, session length and tags, in a wizard that mirrors the IAM console.',
  },
  {
    title: 'Review',
    text: 'An approver sees exactly what would be created, with validation findings and risk flags such as privilege escalation, and approves or rejects it. Nobody approves their own request.',
  },
  {
    title: 'Create',
    text: 'On approval Rolesmith creates the role in the target account through the IAM API, step by step and resumably, so a failure never leaves a half-made role behind.',
  },
  {
    title: 'Use',
    text: 'The role summary gives its ARN, trust and permissions policies, tags, a switch-role link for the AWS console and a ready AWS CLI profile.',
  },
];

const demoSwitchRole =
  '/sandbox/switchrole?account=444455556666&roleName=DemoReadOnly&displayName=Demo%20read-only&color=83D4E8';

export default async function HomePage() {
  await connection();
  const isSandbox = getEnv().ROLESMITH_MODE === 'sandbox';
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-3xl font-semibold tracking-tight text-slate-900">
          Cross-account IAM roles, on request
        </h1>
        <p className="mt-3 max-w-3xl text-lg text-slate-700">
          Rolesmith lets developers, DevOps, finance and outside consultants ask for an AWS IAM role in
          another account without waiting for an administrator to click through the console. Platform and
          security teams keep control: every role is checked against guardrails and approved before it exists.
        </p>
        <div className="mt-5 flex flex-wrap gap-3">
          <ButtonLink href="/roles/new">Create role</ButtonLink>
          <ButtonLink href="/requests" variant="secondary">
            See my requests
          </ButtonLink>
        </div>
      </section>

      <section aria-labelledby="how-it-works">
        <h2 id="how-it-works" className="text-xl font-semibold text-slate-900">
          How a request flows
        </h2>
        <ol className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {steps.map((step, index) => (
            <li key={step.title}>
              <Card className="h-full">
                <p className="text-sm font-semibold text-indigo-800">Step {index + 1}</p>
                <h3 className="mt-1 text-lg font-semibold text-slate-900">{step.title}</h3>
                <p className="mt-2 text-slate-700">{step.text}</p>
              </Card>
            </li>
          ))}
        </ol>
      </section>

      {isSandbox ? (
        <section aria-labelledby="try-the-sandbox">
          <Card>
            <h2 id="try-the-sandbox" className="text-xl font-semibold text-slate-900">
              Try the sandbox
            </h2>
            <ul className="mt-3 list-disc space-y-2 pl-6 text-slate-700">
              <li>
                <TextLink href="/signin">Sign in as a demo person</TextLink>: Alice and Dave request roles,
                Bob approves them, Carol administers Rolesmith, and Erin is an outside consultant from another
                AWS account.
              </li>
              <li>
                <TextLink href={demoSwitchRole}>Switch into an example role</TextLink> the way a switch-role
                link works: the sandbox assumes <code className="font-mono text-sm">DemoReadOnly</code> in
                account 444455556666 as your demo person, with the MFA code filled in for you.
              </li>
            </ul>
          </Card>
        </section>
      ) : null}
    </div>
  );
}
