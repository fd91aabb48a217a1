/**
 * The CodeMirror 6 side of the JSON editor. Imported only with `import()` by `json-editor.tsx`,
 * so CodeMirror is in its own chunk, loaded when a JSON editor is first rendered and never part
 * of a page's first-load JavaScript.
 *
 * Keyboard: Tab indents (as in any code editor); Escape then Tab (within two seconds) moves focus
 * out of the editor, and Ctrl-M (Alt-Shift-M on macOS) turns Tab capture off until pressed again
 * (CodeMirror's tab-focus mode). Ctrl-Shift-M opens the list of findings; F8 goes to the next.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, Annotation, type Text } from '@codemirror/state';
import {
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { Finding } from '@/lib/iam/findings';

/** The content element's attributes (its id, name, description and validity). */
export type ContentAttributes = Record<string, string>;

export interface JsonEditorHandle {
  /** Replaces the text when it differs (a change from outside: the builder, Format), keeping the cursor near. */
  setText(text: string): void;
  setFindings(findings: readonly Finding[]): void;
  setContentAttributes(attributes: ContentAttributes): void;
  /** Moves the cursor to a 1-based line and column, scrolls it into view and focuses the editor. */
  jumpTo(line: number, column: number): void;
  focus(): void;
  /** Whether the editor's content has focus (to hand focus over from the fallback). */
  hasFocus(): boolean;
  destroy(): void;
}

export interface JsonEditorOptions {
  parent: HTMLElement;
  text: string;
  /** The fallback's cursor, kept when CodeMirror takes over. */
  selection?: { anchor: number; head: number };
  attributes: ContentAttributes;
  minLines: number;
  onChange: (text: string) => void;
}

const severityLabel: Record<Finding['severity'], string> = {
  error: 'Error',
  security_warning: 'Security warning',
  warning: 'Warning',
  suggestion: 'Suggestion',
};

const severityOfFinding: Record<Finding['severity'], Diagnostic['severity']> = {
  error: 'error',
  security_warning: 'warning',
  warning: 'warning',
  suggestion: 'info',
};

/** Marks a change made from outside (not typed), so it is not echoed back through `onChange`. */
const external = Annotation.define<boolean>();

/** The offset of a 1-based line and column in the document, clamped to it. */
function offsetOf(doc: Text, line: number, column: number): number {
  const clampedLine = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(clampedLine.from + Math.max(0, column - 1), clampedLine.to);
}

/**
 * A finding as a CodeMirror lint marker: its range (1-based line/column to endLine/endColumn,
 * clamped to the text), severity (a security warning is a warning with a class of its own, a
 * suggestion is info), message with its suggestions, and one "Use …" action per suggestion when the
 * range is one JSON string.
 */
export function diagnosticOf(doc: Text, finding: Finding): Diagnostic {
  const from = offsetOf(doc, finding.line, finding.column);
  const to = Math.max(from, offsetOf(doc, finding.endLine, finding.endColumn));
  const suggestions = finding.suggestions ?? [];
  const token = doc.sliceString(from, to);
  return {
    from,
    to,
    severity: severityOfFinding[finding.severity],
    source: `${severityLabel[finding.severity]} · ${finding.code}`,
    // The validator's message may already name its suggestions ("Did you mean …?").
    message:
      suggestions.length > 0 && !suggestions.some((suggestion) => finding.message.includes(suggestion))
        ? `${finding.message} Did you mean ${suggestions.join(', ')}?`
        : finding.message,
    ...(finding.severity === 'security_warning' ? { markClass: 'cm-lintRange-security' } : {}),
    // A suggestion replaces the string it is for, quotes kept (only where the range is one string).
    actions:
      token.startsWith('"') && token.endsWith('"') && token.length >= 2
        ? suggestions.slice(0, 3).map((suggestion) => ({
            name: `Use ${suggestion}`,
            apply: (view: EditorView, start: number, end: number) =>
              view.dispatch({ changes: { from: start, to: end, insert: JSON.stringify(suggestion) } }),
          }))
        : [],
  };
}

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: '#3730a3' /* indigo-800 */ },
  { tag: tags.string, color: '#065f46' /* emerald-800 */ },
  { tag: tags.number, color: '#92400e' /* amber-800 */ },
  { tag: [tags.bool, tags.null], color: '#86198f' /* fuchsia-800 */ },
  {
    tag: [tags.punctuation, tags.separator, tags.brace, tags.squareBracket],
    color: '#475569' /* slate-600 */,
  },
  { tag: tags.invalid, color: '#b91c1c', textDecoration: 'underline' },
]);

function theme(minLines: number) {
  const lineHeight = 20;
  return EditorView.theme({
    '&': {
      fontSize: '13px',
      backgroundColor: '#ffffff',
      color: '#0f172a',
      border: '1px solid #cbd5e1',
      borderRadius: '0.375rem',
    },
    '&.cm-focused': { outline: '2px solid #4f46e5', outlineOffset: '2px' },
    '.cm-scroller': {
      fontFamily: 'var(--font-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace)',
      lineHeight: `${lineHeight}px`,
      minHeight: `${minLines * lineHeight + 8}px`,
      maxHeight: '32rem',
      overflow: 'auto',
    },
    '.cm-content': { padding: '4px 0', caretColor: '#0f172a' },
    '.cm-gutters': { backgroundColor: '#f8fafc', color: '#475569', borderRight: '1px solid #e2e8f0' },
    '.cm-activeLine': { backgroundColor: '#eef2ff66' },
    '.cm-activeLineGutter': { backgroundColor: '#e0e7ff', color: '#1e293b' },
    '.cm-lintRange-error': { backgroundColor: '#fee2e2' },
    '.cm-lintRange-warning': { backgroundColor: '#fef3c7' },
    '.cm-lintRange-security': { backgroundColor: '#ffedd5', outline: '1px dashed #c2410c' },
    '.cm-lintRange-info': { backgroundColor: '#e0f2fe' },
    '.cm-tooltip': { fontSize: '13px', maxWidth: '32rem' },
    '.cm-diagnostic': { whiteSpace: 'pre-wrap' },
    '.cm-diagnosticSource': { color: '#475569', opacity: '1' },
    '.cm-diagnosticAction': { backgroundColor: '#3730a3' },
  });
}

/** Creates the editor in `parent`. */
export function createJsonEditor(options: JsonEditorOptions): JsonEditorHandle {
  const attributes = new Compartment();
  const state = EditorState.create({
    doc: options.text,
    ...(options.selection ? { selection: options.selection } : {}),
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      indentOnInput(),
      bracketMatching(),
      json(),
      syntaxHighlighting(highlight),
      lintGutter(),
      EditorState.tabSize.of(4),
      keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
      attributes.of(EditorView.contentAttributes.of(options.attributes)),
      // The content is focusable as a contenteditable, but axe only counts a tabindex: without
      // one, a scroller holding a long line is a "scrollable region without keyboard access".
      EditorView.contentAttributes.of({ tabindex: '0' }),
      theme(options.minLines),
      EditorView.updateListener.of((update) => {
        if (update.docChanged && !update.transactions.some((transaction) => transaction.annotation(external)))
          options.onChange(update.state.doc.toString());
      }),
    ],
  });
  const view = new EditorView({ state, parent: options.parent });

  return {
    setText(text) {
      const current = view.state.doc.toString();
      if (current === text) return;
      // Replace only what differs, so the cursor stays where it was around an edit elsewhere.
      let start = 0;
      while (start < current.length && start < text.length && current[start] === text[start]) start += 1;
      let endCurrent = current.length;
      let endText = text.length;
      while (endCurrent > start && endText > start && current[endCurrent - 1] === text[endText - 1]) {
        endCurrent -= 1;
        endText -= 1;
      }
      view.dispatch({
        changes: { from: start, to: endCurrent, insert: text.slice(start, endText) },
        annotations: external.of(true),
        // Format turns a long line into short ones: without this, the view stays scrolled to
        // where the long line's end was and shows blank lines.
        scrollIntoView: true,
      });
    },
    setFindings(findings) {
      const doc = view.state.doc;
      view.dispatch(
        setDiagnostics(
          view.state,
          findings.map((finding) => diagnosticOf(doc, finding)),
        ),
      );
    },
    setContentAttributes(next) {
      view.dispatch({ effects: attributes.reconfigure(EditorView.contentAttributes.of(next)) });
    },
    jumpTo(line, column) {
      const at = offsetOf(view.state.doc, line, column);
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    },
    focus() {
      view.focus();
    },
    hasFocus() {
      return view.hasFocus;
    },
    destroy() {
      view.destroy();
    },
  };
}
