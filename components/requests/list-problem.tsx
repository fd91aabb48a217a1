import { TextLink } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';

/**
 * Why a request list shows nothing: a page link it did not write or a page size out of range
 * (with the way back to the first page), or filters that need fixing (each field says which).
 */
export function ListProblem({
  message,
  errors,
  firstHref,
}: {
  message: string;
  errors: Record<string, string[] | undefined>;
  firstHref: string;
}) {
  const paging = errors.after?.[0] ?? errors.pageSize?.[0];
  return (
    <Callout tone="error" role="alert">
      <p className="font-medium">
        {paging ? (
          <>
            {paging}. <TextLink href={firstHref}>Go to the first page</TextLink>
          </>
        ) : (
          `${message} No requests are shown until the filters are valid.`
        )}
      </p>
    </Callout>
  );
}
