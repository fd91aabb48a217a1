import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';

/**
 * An honest placeholder for a section that is not built yet: it says what the section will do,
 * and shows no made-up data.
 */
export function ComingNext({ title, summary, points }: { title: string; summary: string; points: string[] }) {
  return (
    <>
      <PageHeader title={title} description={summary} />
      <Card>
        <h2 className="text-base font-semibold text-slate-900">Coming next</h2>
        <p className="mt-1 text-slate-700">
          This part of Rolesmith is still being built. When it lands, you will be able to:
        </p>
        <ul className="mt-3 list-disc space-y-1 pl-6 text-slate-800">
          {points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
        <p className="mt-4 text-sm text-slate-700">
          <Link
            href="/"
            className="font-medium text-indigo-800 underline underline-offset-2 hover:text-indigo-950"
          >
            Back to the overview
          </Link>
        </p>
      </Card>
    </>
  );
}
