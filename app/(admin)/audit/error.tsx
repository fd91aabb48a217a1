'use client';

import { AdminError } from '@/components/admin/admin-error';

export default function AuditError({ error, retry }: { error: unknown; retry: () => void }) {
  return <AdminError error={error} retry={retry} what="The audit log" />;
}
