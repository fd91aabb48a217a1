'use client';

import { useActionState, useState } from 'react';
import { addRequestCommentAction } from '@/app/(portal)/requests/actions';
import { Button } from '@/components/ui/button';
import { Field, FormStatus } from '@/components/ui/field';
import { Textarea } from '@/components/ui/input';
import type { Result } from '@/lib/result';

/** Adds a comment to the request's timeline; what was typed stays until it is posted. */
export function CommentForm({ requestId }: { requestId: string }) {
  const [body, setBody] = useState('');
  const [state, formAction, isPending] = useActionState(
    async (previous: Result<{ id: string }> | null, formData: FormData) => {
      const result = await addRequestCommentAction(previous, formData);
      if (result.ok) setBody('');
      return result;
    },
    null,
  );
  const errors = state && !state.ok ? (state.fieldErrors?.body ?? [state.message]) : undefined;
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <input type="hidden" name="requestId" value={requestId} />
      <Field id="comment-body" label="Add a comment" errors={errors}>
        {(props) => (
          <Textarea
            {...props}
            name="body"
            rows={3}
            maxLength={2000}
            value={body}
            onChange={(event) => setBody(event.currentTarget.value)}
          />
        )}
      </Field>
      <div className="flex items-center justify-between gap-2">
        <FormStatus message={state?.ok ? 'Comment added.' : null} isError={false} />
        <Button type="submit" variant="secondary" disabled={isPending}>
          {isPending ? 'Posting…' : 'Post comment'}
        </Button>
      </div>
    </form>
  );
}
