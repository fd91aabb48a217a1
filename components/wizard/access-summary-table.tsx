import { DataTable, type Column } from '@/components/ui/data-table';
import type { ServiceAccess } from '@/lib/iam/access-summary';
import { describeAccessLevels } from '@/lib/wizard/findings-view';

/** What the table needs of a service's access (the policy details route sends no action lists). */
export type ServiceAccessRow = Pick<
  ServiceAccess,
  'prefix' | 'name' | 'levels' | 'isFullAccess' | 'resources' | 'isConditional'
>;

const columns: readonly Column<ServiceAccessRow>[] = [
  {
    id: 'service',
    header: 'Service',
    rowHeader: true,
    cell: (service) => (
      <span className="flex flex-col">
        <span>{service.name}</span>
        <span className="font-mono text-xs font-normal text-slate-600">{service.prefix}</span>
      </span>
    ),
  },
  {
    id: 'access',
    header: 'Access level',
    cell: (service) =>
      describeAccessLevels(service)
        .split(' · ')
        .map((part) => (
          <span key={part} className="block">
            {part}
          </span>
        )),
  },
  {
    id: 'resources',
    header: 'Resource',
    cell: (service) => (service.resources === 'all' ? 'All resources' : 'Specific resources'),
  },
  {
    id: 'condition',
    header: 'Request condition',
    cell: (service) => (service.isConditional ? 'Conditional' : 'None'),
  },
];

/**
 * The console's policy summary: per service, the access levels granted (full or limited), on
 * which resources and whether only under a condition. Used by the managed policy details, the
 * preview column and the review. Renders on the server or the client (no state).
 */
export function AccessSummaryTable({
  services,
  caption,
  omittedServices = 0,
  unrecognizedActions = [],
  emptyText = 'Grants no access.',
  className = '',
}: {
  services: readonly ServiceAccessRow[];
  /** The table's name for screen readers, e.g. "Access granted by ReadOnlyAccess". */
  caption: string;
  /** Services left out of `services` (a very broad policy). */
  omittedServices?: number;
  /** Allowed actions the catalogue does not know. */
  unrecognizedActions?: readonly string[];
  emptyText?: string;
  className?: string;
}) {
  return (
    <div className={`flex flex-col gap-2 ${className}`}>
      {services.length === 0 ? (
        <p className="text-sm text-slate-700">{emptyText}</p>
      ) : (
        <DataTable caption={caption} columns={columns} rows={services} rowKey={(service) => service.prefix} />
      )}
      {omittedServices > 0 ? (
        <p className="text-sm text-slate-700">
          and {omittedServices} more {omittedServices === 1 ? 'service' : 'services'}.
        </p>
      ) : null}
      {unrecognizedActions.length > 0 ? (
        <p className="text-sm text-amber-900">
          Actions not recognised:{' '}
          {unrecognizedActions.map((action, index) => (
            <span key={action}>
              {index > 0 ? ', ' : ''}
              <code className="font-mono">{action}</code>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}
