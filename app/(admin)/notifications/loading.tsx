import { PageLoading } from '@/components/shell/page-loading';

// Below the route group's layout, whose guard decides before it streams.
export default function Loading() {
  return <PageLoading tall />;
}
