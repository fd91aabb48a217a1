/**
 * Counts a policy's size as IAM does against its quotas: every character except whitespace
 * outside string literals (IAM's "Whitespace is not counted"). An escape inside a string counts
 * as the two characters written.
 */
export function policySize(text: string): number {
  let size = 0;
  let inString = false;
  for (let k = 0; k < text.length; k += 1) {
    const c = text.charCodeAt(k);
    if (inString) {
      size += 1;
      if (c === 92) {
        size += 1;
        k += 1;
      } else if (c === 34) inString = false;
    } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
      size += 1;
      if (c === 34) inString = true;
    }
  }
  return size;
}
