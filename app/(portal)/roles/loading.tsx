import { PageLoading } from '@/components/shell/page-loading';

// Below the route group's layout (and this segment's), whose guards decide before it streams.
export default function Loading() {
  return <PageLoading />;
}
