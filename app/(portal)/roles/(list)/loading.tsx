import { PageLoading } from '@/components/shell/page-loading';

// Below the route group's layout, whose guards decide before it streams; in the (list) group so
// that it wraps only the list: a request's or role's own page must decide its status (404) first.
export default function Loading() {
  return <PageLoading />;
}
