import 'server-only';

/** The largest JSON body the wizard's read routes accept (a document at its limit, escaped, and the envelope). */
export const maxJsonBodyBytes = 96 * 1024;

/**
 * A request's JSON body, read up to {@link maxJsonBodyBytes} (larger bodies are refused without
 * reading them whole); a message a person can act on otherwise.
 */
export async function readJsonBody(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const tooLarge = {
    ok: false as const,
    message: `The request must be at most ${maxJsonBodyBytes / 1024} KiB`,
  };
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxJsonBodyBytes) return tooLarge;
  if (!request.body) return { ok: false, message: 'The request has no body' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxJsonBodyBytes) {
      await reader.cancel();
      return tooLarge;
    }
    chunks.push(value);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'The request body is not valid JSON' };
  }
}
