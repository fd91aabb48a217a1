import { readFile } from 'node:fs/promises';
import { loadCatalogue } from '@/lib/iam/catalogue-loader';
import type { Finding, FindingSeverity } from '@/lib/iam/findings';
import { VALIDATED_POLICY_KINDS, validatePolicy, type ValidatedPolicyKind } from '@/lib/iam/validate';

const USAGE = `Usage: rolesmith lint [options] FILE...

Validates IAM policy documents as Rolesmith's portal does.

Options:
  --kind identity|trust|boundary   what the policies are for (default: identity)
  --format text|json               output format (default: text)
  --policy-type managed|inline     size quota for identity policies (default: managed)
  --third-party                    trust policies let a third party assume the role (require sts:ExternalId)
  --help                           show this help

Exit status: 1 when any error finding was raised, 2 for a usage error or an unreadable file, 0 otherwise.
`;

interface LintOptions {
  kind: ValidatedPolicyKind;
  format: 'text' | 'json';
  policyType: 'managed' | 'inline';
  isForThirdParty: boolean;
  files: string[];
}

/**
 * One linted file, as `--format json` prints it. A finding about an unknown action, service or
 * condition key carries `suggestions`: the closest real names, best first.
 */
export interface LintReport {
  file: string;
  kind: ValidatedPolicyKind;
  findings: Finding[];
}

type ParsedArgs = { ok: true; options: LintOptions } | { ok: false; message: string } | { ok: 'help' };

function parseArgs(args: string[]): ParsedArgs {
  const options: LintOptions = {
    kind: 'identity',
    format: 'text',
    policyType: 'managed',
    isForThirdParty: false,
    files: [],
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') {
      options.files.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') return { ok: 'help' };
    if (arg === '--third-party') {
      options.isForThirdParty = true;
      continue;
    }
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (name === '--kind' || name === '--format' || name === '--policy-type') {
      const value = inline ?? args[(i += 1)];
      if (value === undefined) return { ok: false, message: `${name} needs a value` };
      if (name === '--kind') {
        if (!(VALIDATED_POLICY_KINDS as readonly string[]).includes(value))
          return { ok: false, message: `--kind must be identity, trust or boundary, not "${value}"` };
        options.kind = value as ValidatedPolicyKind;
      } else if (name === '--format') {
        if (value !== 'text' && value !== 'json')
          return { ok: false, message: `--format must be text or json, not "${value}"` };
        options.format = value;
      } else {
        if (value !== 'managed' && value !== 'inline')
          return { ok: false, message: `--policy-type must be managed or inline, not "${value}"` };
        options.policyType = value;
      }
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') return { ok: false, message: `unknown option "${arg}"` };
    options.files.push(arg);
  }
  if (options.files.length === 0) return { ok: false, message: 'give at least one policy file' };
  return { ok: true, options };
}

const SEVERITY_LABELS: Record<FindingSeverity, string> = {
  error: 'error',
  security_warning: 'security warning',
  warning: 'warning',
  suggestion: 'suggestion',
};

function formatText(reports: LintReport[]): string {
  const lines: string[] = [];
  const totals: Record<FindingSeverity, number> = {
    error: 0,
    security_warning: 0,
    warning: 0,
    suggestion: 0,
  };
  for (const report of reports) {
    for (const finding of report.findings) {
      totals[finding.severity] += 1;
      const where = finding.path === '' ? '' : ` (at ${finding.path})`;
      lines.push(
        `${report.file}:${finding.line}:${finding.column}: ${SEVERITY_LABELS[finding.severity]} ${finding.code}: ${finding.message}${where}`,
      );
    }
  }
  const summary = (Object.keys(totals) as FindingSeverity[])
    .filter((severity) => totals[severity] > 0)
    .map(
      (severity) => `${totals[severity]} ${SEVERITY_LABELS[severity]}${totals[severity] === 1 ? '' : 's'}`,
    );
  const files = `${reports.length} file${reports.length === 1 ? '' : 's'}`;
  lines.push(summary.length === 0 ? `No findings in ${files}.` : `${summary.join(', ')} in ${files}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * `rolesmith lint`: validates each policy file given (a file that is not valid JSON is linted and
 * gets a json_syntax finding) and prints the findings as text or as one JSON array with an entry
 * per file, in order. Returns 1 when any error finding was raised, 2 for a usage error or an
 * unreadable file (then nothing is printed on stdout), 0 otherwise.
 */
export async function runLint(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed.ok === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!parsed.ok) {
    process.stderr.write(`rolesmith lint: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const { options } = parsed;
  const texts: string[] = [];
  for (const file of options.files) {
    try {
      texts.push(await readFile(file, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
      process.stderr.write(`rolesmith lint: cannot read ${file} (${reason})\n`);
      return 2;
    }
  }
  const catalogue = await loadCatalogue();
  const reports: LintReport[] = options.files.map((file, index) => ({
    file,
    kind: options.kind,
    findings: validatePolicy(texts[index]!, options.kind, {
      catalogue,
      identityPolicyType: options.policyType,
      isForThirdParty: options.isForThirdParty,
    }),
  }));
  process.stdout.write(
    options.format === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : formatText(reports),
  );
  return reports.some((report) => report.findings.some((finding) => finding.severity === 'error')) ? 1 : 0;
}
