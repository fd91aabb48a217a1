import { PageLoading } from '@/components/shell/page-loading';

// Below this segment's layout, which has decided the 404 before this streams.
export default function Loading() {
  return <PageLoading />;
}
