import type { Metadata } from 'next';
import { TextLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <Card className="max-w-xl">
      <h1 className="text-xl font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 text-slate-700">
        There is nothing here, or it is not yours to see. Check the address, or start from the overview.
      </p>
      <p className="mt-4">
        <TextLink href="/">Go to the overview</TextLink>
      </p>
    </Card>
  );
}
