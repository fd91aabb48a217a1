/**
 * AWS's error codes of a failed provisioning step in plain words: what happened and what to do
 * before *Retry*. The raw code and message are always shown beside the sentence (they are what an
 * operator searches for); this only helps a person read them. Pure.
 */
const sentences: Record<string, string> = {
  EntityAlreadyExists:
    'Something with this name already exists in the account and was not created by this request. Delete or rename it in the account, then retry.',
  LimitExceeded:
    'An IAM quota of the account is reached (for example roles per account, or managed policies per role). Free some room or ask AWS for a higher quota, then retry.',
  NoSuchEntity:
    'Something the request refers to does not exist in the account, such as a managed policy or the permissions boundary. Create it, or change the request, then retry.',
  MalformedPolicyDocument:
    'IAM refused one of the policy documents as malformed. The request must be changed: roll it back or cancel it and start a new one.',
  AccessDenied:
    'Rolesmith is not allowed to make this call in the account. Give its provisioner role the missing permission, then retry.',
  AccessDeniedException:
    'Rolesmith is not allowed to make this call in the account. Give its provisioner role the missing permission, then retry.',
  Throttling:
    'IAM is limiting how fast calls are made and Rolesmith gave up after waiting. Retry in a few minutes.',
  ServiceFailure: 'IAM had an internal failure. This is usually brief: retry in a few minutes.',
  InvalidInput:
    'IAM refused a value of the request as invalid. The request must be changed: roll it back or cancel it and start a new one.',
  ConcurrentModification:
    'Someone else changed the same role at the same moment. Retry once their change is done.',
  UnmodifiableEntity:
    'The entity is protected from changes (for example a service-linked role). The request must be changed.',
  DeleteConflict:
    'The entity is still in use (for example a policy still attached elsewhere), so IAM will not delete it. Detach it first, then retry.',
};

/** A sentence for an AWS error code; a general one for codes not listed. */
export function explainAwsError(code: string): string {
  return (
    sentences[code] ??
    'AWS refused the call. Read its message below, fix the cause in the account or the request, then retry.'
  );
}
