import { useId } from "preact/hooks";

/** Where JSON text is wrong: line and column (1-based) and the parser's reason, or undefined. */
export function jsonProblem(
  text: string,
): { line: number; column: number; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]), message };
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const before = text.slice(0, offset).split("\n");
    return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1, message };
  }
}

interface Props {
  label: string;
  value: string;
  onInput: (value: string) => void;
  rows?: number;
  /** Empty text is allowed (and valid) when true. */
  optional?: boolean;
}

/** A textarea for JSON that marks where the text is wrong (line, column, and the line itself). */
export function JsonEditor({ label, value, onInput, rows = 8, optional = false }: Props) {
  const id = useId();
  const problem = optional && value.trim() === "" ? undefined : jsonProblem(value);
  const badLine = problem ? value.split("\n")[problem.line - 1] : undefined;
  return (
    <div class="json-editor">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        spellcheck={false}
        value={value}
        aria-invalid={problem ? "true" : "false"}
        aria-describedby={problem ? `${id}-error` : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {problem && (
        <div id={`${id}-error`} class="error" role="alert">
          Invalid JSON at line {problem.line}, column {problem.column}: {problem.message}
          {badLine !== undefined && (
            <pre class="bad-line">
              {badLine}
              {"\n"}
              {`${" ".repeat(Math.max(0, problem.column - 1))}^`}
            </pre>
          )}
        </div>
      )}
    </div>
  );
}
